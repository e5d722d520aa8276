"""The actor special cases of the extractor, read from seeds/actor_rules.csv (one named rule per row).

They are knowledge about who fights for whom and who reports whose strikes, not grammar, so an analyst
can read and extend them next to the actor groups they name.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .lexicons import read_seed


@dataclass(frozen=True)
class ActorRules:
    attacker_side: dict[str, str]              # perpetrator -> the group its dead attackers belong to
    own_strike: dict[tuple[str, str], str]     # (source, victim) -> the perpetrator the source speaks for

    def side_of_attackers(self, perpetrator: Optional[str]) -> str:
        """"مقتل أحد المهاجمين": the dead belong to the side that attacked (rule attacker_side)."""
        return self.attacker_side.get(perpetrator or "", perpetrator) or "unspecified"

    def reporter_as_perpetrator(self, source: Optional[str], victim: str) -> Optional[str]:
        """A force reporting a toll of its enemy with no perpetrator named reports its own strike
        (rule reported_own_strike); None when no rule applies."""
        return self.own_strike.get((source or "", victim))


@lru_cache(maxsize=1)
def actor_rules() -> ActorRules:
    attacker_side: dict[str, str] = {}
    own_strike: dict[tuple[str, str], str] = {}
    for row in read_seed("actor_rules.csv"):
        if row["rule"] == "attacker_side":
            attacker_side[row["when_perpetrator"]] = row["then_group"]
        elif row["rule"] == "reported_own_strike":
            own_strike[(row["when_source"], row["when_victim"])] = row["then_group"]
        else:
            raise ValueError(f"seeds/actor_rules.csv: unknown rule {row['rule']!r}")
    return ActorRules(attacker_side, own_strike)
