"""The document-level date choice, once the whole report is read: its undated incident mentions take the
date of a dated statement they restate (named rules, the mention's date_rule) or, in a report that names
no event day anywhere, the publication day, as human coders date it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable, Optional

from .frames import DocState
from .mention import Mention

_OWN_NEWS_DAYS = 14   # a statement dated further back than this before publication is background, not the news
_LEAD_REACH = 1500   # characters: a headline, a post header or a page menu, and the lead paragraph


def _same_toll(a: Mention, b: Mention) -> bool:
    return (a.outcome, a.count) == (b.outcome, b.count)


def _headline_of_lead(m: Mention, dated: list[Mention]) -> Optional[Mention]:
    """A headline or lead above the first dated statement is about that statement's event when it restates
    its toll ("6 ضحايا بقصف ..." over "لقي 6 مدنيين مصرعهم، اليوم السبت، ...") or when that statement dates
    itself from the publication ("صباح اليوم"، "أمس": the report's own news)."""
    first = dated[0]
    if m.char_start >= first.char_start:
        return None
    same = next((d for d in dated if m.char_start < d.char_start <= _LEAD_REACH and _same_toll(d, m)), None)
    if same is None and first.char_start <= _LEAD_REACH and first.date_basis == "relative":
        return first
    return same


def _restated_toll(m: Mention, dated: list[Mention]) -> Optional[Mention]:
    """The same toll restated further down ("مما أسفر عن مقتل 8 أفراد" under "استشهد 8 مدنيين، اليوم"): told
    before, restated after, and not background (dated from the publication, or in the lead)."""
    restated = [d for d in dated if _same_toll(d, m) and d.char_start < m.char_start
                and (d.date_basis == "relative" or d.char_start <= _LEAD_REACH)]
    return restated[0] if restated and len({d.event_date for d in restated}) == 1 else None


def _raised_by_running_total(m: Mention, dated: list[Mention]) -> Optional[Mention]:
    """"قتل 3 مدنيين ..." then, further down, "لترتفع بذلك حصيلة القتلى منذ يوم الأحد 8 آب
    إلى 11": a dated running total raises the toll the report told before it, so the figures it adds up (of its
    outcome, not above it; the injured beside the dead) are of its day. The first such total after the figure;
    its place is its own."""
    return next((d for d in dated if d.char_start > m.char_start and d.count_rule == "running_total"
                 and (d.outcome != m.outcome or d.count > m.count)), None)


@dataclass(frozen=True)
class _LeadRule:
    name: str                                                   # stored as Mention.date_rule
    find: Callable[[Mention, list[Mention]], Optional[Mention]]


# Tried in order for each undated incident mention of a report that dates its event; first answer wins.
LEAD_RULES = (
    _LeadRule("headline_of_lead", _headline_of_lead),
    _LeadRule("restated_toll", _restated_toll),
    _LeadRule("raised_by_running_total", _raised_by_running_total),
)


def date_by_publication(mentions: list[Mention], state: DocState) -> None:
    """A report that names no event day anywhere is dated, as human coders date it, by its publication:
    its undated incident mentions take the publication day. A report that names a day for its event
    leaves its other undated mentions alone (they are background, or carried from a frame already),
    except a headline or lead restating the same toll as a dated statement of the lead (LEAD_RULES).
    A report whose days are all weeks before publication (background: "ومطلع الشهر الفائت ..."، a year
    misread) names none for its own news: its headline and lead take the publication day."""
    if state.published is None:
        return
    # (a statement about another, earlier event, "وفي حادثة سابقة ...", dates that event, not the report's own)
    dated = sorted((m for m in mentions if m.scope == "incident" and m.date_precision == "day"
                    and m.date_basis in ("stated", "relative") and m.char_start not in state.other_events),
                   key=lambda d: d.char_start)
    recent = state.published - timedelta(days=_OWN_NEWS_DAYS)
    news = [m for m in dated if m.event_date >= recent.isoformat()]
    if not dated:
        _publication_day(state.undated_reports, state)
    elif not news:
        _publication_day([m for m in state.undated_reports if m.char_start <= _LEAD_REACH], state)
    else:
        _lead_rules(state.undated_reports, news)


def _publication_day(undated: list[Mention], state: DocState) -> None:
    for m in undated:
        m.event_date, m.date_precision = state.published.isoformat(), "day"
        m.date_basis, m.date_rule = "published", "publication_date"


def _lead_rules(undated: list[Mention], dated: list[Mention]) -> None:
    for m in undated:
        for rule in LEAD_RULES:
            same = rule.find(m, dated)
            if same is not None:
                _date_from(m, same, rule.name)
                break


def _date_from(m: Mention, same: Mention, rule: str) -> None:
    m.event_date, m.date_precision = same.event_date, "day"
    m.date_basis, m.date_rule = "context", rule
    if m.admin1 is None and _same_toll(same, m):
        # the same toll restated: the same event, so the same place
        m.place, m.admin1, m.place_rule = same.place, same.admin1, rule
