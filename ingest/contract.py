"""The mention contract, checked on each extracted mention before it is loaded.

One mention that breaks the contract (a value outside an enum, a span outside its document,
a date that does not parse or cannot be true) must never block a refresh: the loader keeps it
out of raw.mentions and records it, with the name of the first rule it failed, in
raw.rejected_mentions. The rules are a table of named predicates, checked in order; each
mirrors a constraint the raw table or a blocking expectation (expectations/raw_mentions.yml,
the marts' conflict-window checks) would otherwise enforce on the whole refresh.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Optional

from .extract.mention import (ACTOR_GROUPS, DATE_BASES, DATE_PRECISIONS, OUTCOMES, QUALIFIERS, SCOPES,
                              SOURCES)

# The conflict's start (the first protests, 15 March 2011): the same bound as the expectations'
# conflict window, so a mention the marts would refuse never gets in.
WAR_START = date(2011, 3, 15)
# Above any incident or yearly tally a report gives: a larger number is a phone number, a year run
# into a figure or a counter glued to a word. The war's running total (SOHR: over 600,000 since
# 2011) is above it too; issue 7 keeps such background figures out of the marts anyway.
MAX_COUNT = 100_000
_ADMIN1 = re.compile(r"SY-[A-Z]{2}")


@dataclass(frozen=True)
class MentionView:
    """The mention as the rules see it: its dict, the parsed dates and its document."""
    fields: dict
    body_len: int
    published_at: Optional[date]
    event_date: Optional[date]
    period_start: Optional[date]
    period_end: Optional[date]


def _parse(value) -> Optional[date]:
    """An ISO date string (or a date) -> date; None when absent. ValueError when unreadable."""
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    return date.fromisoformat(value)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _in(field: str, allowed: tuple[str, ...], nullable: bool = False) -> Callable[[MentionView], bool]:
    def ok(m: MentionView) -> bool:
        value = m.fields.get(field)
        return (nullable and value is None) or value in allowed
    return ok


def _span_ok(m: MentionView) -> bool:
    start, end = m.fields.get("char_start"), m.fields.get("char_end")
    return _is_int(start) and _is_int(end) and 0 <= start < end <= m.body_len


def _precision_ok(m: MentionView) -> bool:
    # an incident with a date has a precision, and one without a date says 'unknown'
    undated = m.fields.get("date_precision") == "unknown"
    return m.fields.get("scope") != "incident" or (m.event_date is None) == undated


def _scope_fields_ok(m: MentionView) -> bool:
    if m.fields.get("scope") == "incident":
        return m.period_start is None and m.period_end is None
    return m.event_date is None


def _not_before_war(m: MentionView) -> bool:
    return all(d is None or d >= WAR_START for d in (m.event_date, m.period_start))


def _not_after_publication(m: MentionView) -> bool:
    return m.published_at is None or m.event_date is None or m.event_date <= m.published_at


def _period_ordered(m: MentionView) -> bool:
    return m.period_start is None or m.period_end is None or m.period_start <= m.period_end


def _period_end_ok(m: MentionView) -> bool:
    return m.published_at is None or m.period_end is None or m.period_end <= m.published_at


@dataclass(frozen=True)
class Rule:
    name: str                          # the reason recorded in raw.rejected_mentions
    holds: Callable[[MentionView], bool]   # True when the mention passes
    fields: tuple[str, ...]            # what it looks at (shown in the rejection's detail)


def _enum(field: str, allowed: tuple[str, ...], nullable: bool = False) -> Rule:
    return Rule(f"{field}_not_allowed", _in(field, allowed, nullable), (field,))


_DATES = ("event_date", "period_start", "period_end")

# Checked in order; a mention is rejected with the first rule it fails. Enums first (from
# ingest/extract/mention.py, the same tuples the expectations read), then shape, then plausibility.
RULES: tuple[Rule, ...] = (
    Rule("date_unreadable", lambda m: True, _DATES),  # decided while parsing, in check()
    _enum("outcome", OUTCOMES),
    _enum("count_qualifier", QUALIFIERS),
    _enum("victim", ACTOR_GROUPS),
    _enum("perpetrator", ACTOR_GROUPS, nullable=True),
    _enum("scope", SCOPES),
    _enum("date_precision", DATE_PRECISIONS),
    _enum("source", SOURCES, nullable=True),
    _enum("date_basis", DATE_BASES, nullable=True),
    Rule("admin1_not_iso_code", lambda m: m.fields.get("admin1") is None
         or (isinstance(m.fields["admin1"], str) and _ADMIN1.fullmatch(m.fields["admin1"]) is not None), ("admin1",)),
    Rule("count_out_of_range", lambda m: _is_int(m.fields.get("count")) and 0 <= m.fields["count"] <= MAX_COUNT,
         ("count",)),
    Rule("span_outside_document", _span_ok, ("char_start", "char_end")),
    Rule("sentence_missing", lambda m: isinstance(m.fields.get("sentence"), str) and m.fields["sentence"] != "",
         ("sentence",)),
    Rule("scope_fields_mismatch", _scope_fields_ok, ("scope",) + _DATES),
    Rule("date_precision_mismatch", _precision_ok, ("scope", "event_date", "date_precision")),
    Rule("date_before_war", _not_before_war, ("event_date", "period_start")),
    Rule("event_after_publication", _not_after_publication, ("event_date",)),
    Rule("period_inverted", _period_ordered, ("period_start", "period_end")),
    Rule("period_after_publication", _period_end_ok, ("period_end",)),
)
RULE_NAMES = tuple(rule.name for rule in RULES)
_BY_NAME = {rule.name: rule for rule in RULES}


def check(mention: dict, body_len: int, published_at: Optional[date]) -> Optional[str]:
    """The name of the first contract rule `mention` (a Mention.to_dict()) fails, or None."""
    try:
        dates = [_parse(mention.get(f)) for f in _DATES]
    except ValueError:
        return "date_unreadable"
    view = MentionView(mention, body_len, published_at, *dates)
    for rule in RULES:
        if not rule.holds(view):
            return rule.name
    return None


def describe(reason: str, mention: dict, published_at: Optional[date] = None) -> str:
    """A short detail for a rejection: the values the failing rule looked at."""
    shown = ", ".join(f"{f}={mention.get(f)!r}" for f in _BY_NAME[reason].fields)
    return shown + (f", published_at={published_at.isoformat()}" if published_at and "publication" in reason else "")
