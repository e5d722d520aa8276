"""The periods in which an actor group holds, read from seeds/actor_eras.csv (rule actor_era).

Who a form names depends on when: "government forces" are Assad's until 8 December 2024 and the
transitional government's after; "General Security" before then is HTS's security service, not a
government that did not yet exist. A row gives a group (or one of its forms) the period in which it holds
and the group the form names outside it (empty: no group, "unspecified").
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Optional

from .lexicons import read_seed
from .text import normalize_form

NO_GROUP = "unspecified"   # then_group left empty: the form names nobody the extractor can tell


@dataclass(frozen=True)
class Era:
    holds_from: Optional[date]    # inclusive
    holds_until: Optional[date]   # exclusive
    then_group: str

    def holds(self, when: date) -> bool:
        return (self.holds_from is None or when >= self.holds_from) and (self.holds_until is None or when < self.holds_until)


def _day(text: str) -> Optional[date]:
    return date.fromisoformat(text) if text else None


@lru_cache(maxsize=1)
def actor_eras() -> dict[tuple[str, tuple[str, ...]], Era]:
    """(group, normalised form words) -> its era; the form () is the row for the whole group."""
    eras: dict[tuple[str, tuple[str, ...]], Era] = {}
    for row in read_seed("actor_eras.csv"):
        if row["rule"] != "actor_era":
            raise ValueError(f"seeds/actor_eras.csv: unknown rule {row['rule']!r}")
        form = tuple(normalize_form(row["form"]).split())
        eras[(row["actor_group"], form)] = Era(_day(row["holds_from"]), _day(row["holds_until"]),
                                               row["then_group"] or NO_GROUP)
    return eras


def group_in_era(group: str, words: tuple[str, ...], when: Optional[date]) -> str:
    """The group a dictionary form names on `when` (rule actor_era): its own while its era holds, else
    the row's then_group (the form's own row first, then the group's). An unknown date changes nothing."""
    if when is None:
        return group
    eras = actor_eras()
    era = eras.get((group, words)) or eras.get((group, ()))
    return group if era is None or era.holds(when) else era.then_group
