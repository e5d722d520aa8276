"""The Mention record: one statement that N people of one group suffered one outcome.

Field names, types and enums follow ../shared/spec/MENTIONS.md exactly; the raw
table raw.mentions (ingest/raw_schema.sql) has the same columns plus provenance.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional

from .lexicons import read_seed


def seed_codes(seed: str) -> tuple[str, ...]:
    """The `code` column of a seed, in file order."""
    return tuple(row["code"] for row in read_seed(seed))


# The outcomes and actor groups are seed rows, not code: the extractor, the loader's contract
# (ingest/contract.py), the dbt tests (relationships to these seeds) and the Great Expectations value
# sets (ingest/validate.py) all read them from there, so adding one is a seed edit
# (tests/test_enums_from_seeds.py adds one of each in a copy of the project).
OUTCOMES = seed_codes("outcomes.csv")
ACTOR_GROUPS = seed_codes("actor_groups.csv")
# The sources are the rows of seeds/source_priority.csv but one: `unattributed` is the marts' name for a
# figure whose text names no source (a mention leaves `source` empty), a row there only so that such
# figures get a rank among the sources; no mention carries it.
UNATTRIBUTED = "unattributed"
ATTRIBUTIONS = tuple(row["source"] for row in read_seed("source_priority.csv"))   # what the marts' source holds
SOURCES = tuple(source for source in ATTRIBUTIONS if source != UNATTRIBUTED)
QUALIFIERS = ("exact", "at_least", "more_than", "approx", "up_to")
SCOPES = ("incident", "tally")
DATE_PRECISIONS = ("day", "month", "year", "unknown")
DATE_BASES = ("stated", "relative", "published", "context")


@dataclass
class Mention:
    doc_id: str
    outcome: str
    count: int
    count_qualifier: str
    victim: str
    perpetrator: Optional[str]
    scope: str
    event_date: Optional[str]      # ISO date
    date_precision: str
    period_start: Optional[str]
    period_end: Optional[str]
    place: Optional[str]
    admin1: Optional[str]          # ISO 3166-2, e.g. SY-HI
    source: Optional[str]
    char_start: int
    char_end: int
    sentence: str
    date_basis: Optional[str] = None   # how event_date was found: one of DATE_BASES, None when undated
    # The names of the rules that produced the count, the victim group, the date and the place, so a
    # wrong figure in a mart can be traced to the rule that made it.
    count_rule: Optional[str] = None
    victim_rule: Optional[str] = None
    date_rule: Optional[str] = None
    place_rule: Optional[str] = None

    def to_dict(self) -> dict:
        return asdict(self)
