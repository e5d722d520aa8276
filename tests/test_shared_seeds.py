"""The extractor on the five real seed articles of ../shared, scored against their hand-made gold.

Issue 3's targets: outcome+count+victim F1 >= 0.90, outcome+count F1 >= 0.95, and event_date,
admin1 and scope accuracy >= 0.90. Skipped where ../shared is absent (a plain clone).
"""
import csv
import json
from datetime import date

import pytest

from ingest import PROJECT_ROOT
from ingest.extract import extract_document

try:
    from tests.scoring import score
except ImportError:  # pragma: no cover - when tests/ is not a package on sys.path
    from scoring import score

SHARED = PROJECT_ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold" / "seeds.jsonl"

pytestmark = [pytest.mark.shared,
              pytest.mark.skipif(not GOLD.exists(), reason="../shared is not present")]


@pytest.fixture(scope="module")
def result():
    manifest = {r["file"]: r for r in csv.DictReader(open(SEEDS / "manifest.csv", encoding="utf-8"))}
    predictions = []
    for path in sorted(SEEDS.glob("*.txt")):
        row = manifest.get(path.name, {})
        published = date.fromisoformat(row["published_at"]) if row.get("published_at") else None
        for m in extract_document(path.read_text(encoding="utf-8"), row.get("doc_id", path.stem), published,
                                  row.get("outlet")):
            predictions.append(m.to_dict())
    gold = [json.loads(line) for line in open(GOLD, encoding="utf-8") if line.strip()]
    return score(gold, predictions)


def test_counts_and_victims(result):
    assert result["count_f1"] >= 0.95, result
    assert result["f1"] >= 0.90, result


@pytest.mark.parametrize("attribute", ["event_date", "admin1", "scope"])
def test_attributes(result, attribute):
    assert result["attributes"][attribute]["accuracy"] >= 0.90, result["attributes"]
