"""benchmarks/synth_corpus.py: the scale benchmark's corpora are reproducible, and a larger corpus
extends a smaller one (bench_refresh.py's +1 % increment relies on it)."""
from __future__ import annotations

import csv
import importlib.util
import sys

from tests.conftest import REPO_ROOT

BENCHMARKS = REPO_ROOT / "benchmarks"


def _synth():
    spec = importlib.util.spec_from_file_location("synth_corpus", BENCHMARKS / "synth_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_same_seed_same_articles_and_a_larger_corpus_extends_a_smaller():
    synth = _synth()
    small = list(synth.generate(40, seed=3, days=5))
    again = list(synth.generate(40, seed=3, days=5))
    larger = list(synth.generate(44, seed=3, days=5))
    assert small == again
    assert larger[:40] == small
    assert len({article.doc_id for article in larger}) == 44


def test_incidents_are_told_several_times_at_gazetteer_places_and_days(tmp_path):
    synth = _synth()
    assert synth.write_corpus(tmp_path, synth.generate(60, seed=1, days=10)) == 60
    with (tmp_path / "manifest.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["file"] for row in rows] == sorted(path.name for path in tmp_path.glob("*.txt"))
    texts = [(tmp_path / row["file"]).read_text(encoding="utf-8") for row in rows]
    assert len(set(texts)) > 30  # varied, not copies
    first_lines = [text.split("\n", 1)[0] for text in texts]
    assert len(set(first_lines)) < len(first_lines)  # headlines shared: several reports per incident
    assert len({row["published_at"] for row in rows}) > 5
    _, targets, _ = synth.load_templates()
    assert sum(any(spot in text for spot in targets) for text in texts) > 50  # moved to gazetteer spots
