"""Score predicted casualty mentions against a gold file (our own small scorer).

Matching semantics follow the project's evaluation contract:

* Gold rows hold ``outcome``, ``count``, a list of acceptable ``victim`` groups and,
  optionally, attribute keys (event_date, scope, admin1, perpetrator, period_start,
  qualifier, source). A list holds the acceptable values; ``None`` in it accepts a
  null prediction; a date may be a prefix ("2023-02") that a longer prediction meets.
* A row ``{"doc_id": ..., "none": true}`` marks a document without mentions: every
  prediction on it is a false positive.
* Within each document, predictions and gold rows are paired greedily, best pairs
  first: a pair needs the same outcome and count ("count level"); pairs whose victim
  is also acceptable ("full level") win, then required rows over optional ones, then
  pairs agreeing on more attributes.
* Optional gold rows are never missed, but a prediction paired with one is no false
  positive.
* Attribute accuracy is measured over full matches of required rows only.
* Only documents that appear in the gold file are scored.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

ATTRIBUTES = ("event_date", "scope", "admin1", "perpetrator", "period_start", "qualifier", "source")
DATE_ATTRIBUTES = {"event_date", "period_start"}


def _accepted_values(value) -> list:
    return value if isinstance(value, list) else [value]


def _is_blank(value) -> bool:
    return value is None or value == ""


def value_accepted(accepted, got, allow_prefix: bool = False) -> bool:
    """True when `got` is one of the accepted values (None in the list accepts a blank)."""
    for wanted in _accepted_values(accepted):
        if wanted is None:
            if _is_blank(got):
                return True
            continue
        if _is_blank(got):
            continue
        if str(got) == str(wanted) or (allow_prefix and str(got).startswith(str(wanted))):
            return True
    return False


def predicted_attribute(pred: dict, attribute: str):
    # The prediction spells the qualifier `count_qualifier`, and an absent one means exact.
    if attribute == "qualifier":
        return pred.get("count_qualifier", "exact")
    return pred.get(attribute)


def attribute_agrees(gold: dict, pred: dict, attribute: str) -> bool:
    return value_accepted(gold[attribute], predicted_attribute(pred, attribute),
                          allow_prefix=attribute in DATE_ATTRIBUTES)


def _same_outcome_and_count(gold: dict, pred: dict) -> bool:
    try:
        return pred.get("outcome") == gold["outcome"] and int(pred.get("count", -1)) == gold["count"]
    except (TypeError, ValueError):
        return False


@dataclass
class Pair:
    gold: dict
    pred: dict
    victim_ok: bool


def pair_document(golds: list[dict], preds: list[dict]) -> list[Pair]:
    """Greedy one-to-one pairing of one document's gold rows and predictions."""
    candidates = []
    for gi, gold in enumerate(golds):
        for pi, pred in enumerate(preds):
            if not _same_outcome_and_count(gold, pred):
                continue
            victim_ok = pred.get("victim") in gold["victim"]
            agreeing = sum(attribute_agrees(gold, pred, a) for a in ATTRIBUTES if a in gold)
            rank = (victim_ok, not gold["optional"], agreeing)
            candidates.append((rank, gi, pi, victim_ok))
    # Python's sort is stable, so ties keep gold-then-prediction order: deterministic.
    candidates.sort(key=lambda c: c[0], reverse=True)
    used_gold, used_pred, pairs = set(), set(), []
    for _, gi, pi, victim_ok in candidates:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        pairs.append(Pair(golds[gi], preds[pi], victim_ok))
    return pairs


def _f1(hits_among_predicted: int, n_predicted: int, hits_among_required: int, n_required: int):
    precision = hits_among_predicted / n_predicted if n_predicted else 0.0
    recall = hits_among_required / n_required if n_required else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _normalised_gold(gold_rows: list[dict]) -> dict[str, list[dict]]:
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for row in gold_rows:
        if row.get("none"):
            by_doc.setdefault(row["doc_id"], [])
            continue
        row = dict(row, optional=bool(row.get("optional", False)),
                   victim=_accepted_values(row["victim"]))
        by_doc[row["doc_id"]].append(row)
    return by_doc


def score(gold_rows: list[dict], pred_rows: list[dict]) -> dict:
    """Return count-level and victim-level precision/recall/F1 and attribute accuracy."""
    gold_by_doc = _normalised_gold(gold_rows)
    pred_by_doc: dict[str, list[dict]] = defaultdict(list)
    for pred in pred_rows:
        if pred.get("doc_id") in gold_by_doc:
            pred_by_doc[pred["doc_id"]].append(pred)

    n_predicted = sum(len(p) for p in pred_by_doc.values())
    n_required = sum(not g["optional"] for golds in gold_by_doc.values() for g in golds)
    count_pairs = count_required = full_pairs = full_required = 0
    attr_hits: dict[str, int] = defaultdict(int)
    attr_total: dict[str, int] = defaultdict(int)

    for doc_id, golds in gold_by_doc.items():
        for pair in pair_document(golds, pred_by_doc.get(doc_id, [])):
            required = not pair.gold["optional"]
            count_pairs += 1
            count_required += required
            if not pair.victim_ok:
                continue
            full_pairs += 1
            full_required += required
            if required:
                for attribute in ATTRIBUTES:
                    if attribute in pair.gold:
                        attr_total[attribute] += 1
                        attr_hits[attribute] += attribute_agrees(pair.gold, pair.pred, attribute)

    count_p, count_r, count_f = _f1(count_pairs, n_predicted, count_required, n_required)
    p, r, f = _f1(full_pairs, n_predicted, full_required, n_required)
    return {
        "documents": len(gold_by_doc),
        "gold_required": n_required,
        "predicted": n_predicted,
        "count_precision": count_p, "count_recall": count_r, "count_f1": count_f,
        "precision": p, "recall": r, "f1": f,
        "attributes": {a: {"accuracy": attr_hits[a] / attr_total[a], "n": attr_total[a]}
                       for a in ATTRIBUTES if attr_total[a]},
    }
