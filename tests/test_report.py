"""`hasila report` without a browser: the page holds its data and plotly, and nothing from the network.

The data here are a hand-made stand-in for the marts (no dbt run); the slow end-to-end check in a
real headless browser is tests/test_report_browser.py.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest import report as report_module
from ingest.cli import cli
from ingest.report import FIGURES, QUERIES, ReportData, render

# Sentences written for this test (not taken from any article).
SENTENCE = "قتل ثلاثة مدنيين في قصف على قرية بريف إدلب <script>alert(1)</script>"
TALLY_SENTENCE = "وثق المرصد مقتل مئة عنصر من قوات النظام منذ آذار 2019"


def sample_data() -> ReportData:
    incident = {"incident_id": "inc_a1", "event_date": "2023-05-02", "date_precision": "day", "place": "كفرنبل",
                "place_name_en": "Kafr Nabl", "admin1": "SY-ID", "governorate_ar": "إدلب", "governorate_en": "Idlib",
                "latitude": 35.6, "longitude": 36.56, "geo_precision": "place", "perpetrator": "regime",
                "killed_best": 3, "killed_low": 3, "killed_high": 4, "injured_best": 5, "injured_low": 5,
                "injured_high": 5, "n_mentions": 1, "n_documents": 1, "n_sources": 1, "has_conflict": False}
    mention = {"mention_id": "m1", "destination": "incident", "incident_id": "inc_a1", "doc_id": "doc_a",
               "published_at": "2023-05-02", "outlet": "موقع تجريبي", "url": "https://example.org/a",
               "sentence": SENTENCE, "outcome": "killed", "reported_count": 3, "count_qualifier": "exact",
               "victim": "civilians", "source": "local_sources", "place_name_ar": "كفرنبل",
               "event_date": "2023-05-02", "link_rule": "founding", "is_subset": False}
    tally = dict(mention, mention_id="t1", destination="tally", incident_id=None, doc_id="doc_t",
                 sentence=TALLY_SENTENCE, victim="regime", reported_count=100)
    tables = {
        "incidents": [incident],
        "incident_casualties": [{"incident_id": "inc_a1", "outcome": "killed", "victim": "civilians", "best": 3,
                                 "low": 3, "high": 4, "additive_best": 3, "month_start": "2023-05-01"}],
        "monthly": [{"month_start": "2023-05-01", "admin1": "SY-ID", "governorate_ar": "إدلب",
                     "governorate_en": "Idlib", "n_incidents": 1}],
        "actor_casualties": [{"actor_code": "civilians", "actor_label_en": "Civilians", "actor_label_ar": "مدنيون",
                              "month_start": "2023-05-01", "outcome": "killed", "best": 3, "low": 3, "high": 4,
                              "n_incidents": 1}],
        "regime_losses": [{"row_kind": "reported_tally", "victim": "regime", "victim_label_en": "Regime",
                           "victim_label_ar": "قوات النظام", "period_start": "2019-03-24", "as_of_date": "2023-05-20",
                           "tally_id": "t1", "doc_id": "doc_t", "tally_source": "sohr", "tally_value": 100,
                           "tally_qualifier": "exact", "incident_killed_best": 0, "incident_killed_low": 0,
                           "incident_killed_high": 0, "n_incidents": 0, "tally_minus_incidents": 100}],
        "actors": [{"actor_code": "civilians", "label_ar": "مدنيون", "label_en": "Civilians"},
                   {"actor_code": "regime", "label_ar": "قوات النظام", "label_en": "Regime"}],
        "governorates": [{"admin1": "SY-ID", "name_ar": "إدلب", "name_en": "Idlib", "latitude": 35.9, "longitude": 36.6}],
        "mentions": [mention, tally],
    }
    assert set(tables) == set(QUERIES), "the stand-in covers every block the report reads"
    return ReportData(tables, "2023-06-01 00:00 UTC")


def embedded(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="hasila-data">(.*?)</script>', html, re.S)
    assert match, "the data block is in the page"
    return json.loads(match.group(1))


def test_the_page_embeds_the_data_and_every_figure():
    html = render(sample_data())
    data = embedded(html)
    assert data["tables"]["mentions"][0]["sentence"] == SENTENCE  # Arabic kept as text, round-trips
    assert [m["sentence"] for m in data["tables"]["mentions"]][1] == TALLY_SENTENCE
    assert set(data["figures"]) == set(FIGURES)
    for element_id in FIGURES:
        assert f'id="{element_id}"' in html
    map_points = data["figures"]["fig-map"]["data"][1]["customdata"]
    assert map_points == [["inc_a1"]], "map points carry the incident id the drill-down needs"


def test_the_page_is_rtl_arabic_and_needs_no_network():
    html = render(sample_data())
    assert re.search(r'<html lang="ar" dir="rtl">', html)
    assert not re.search(r'<script[^>]+src=', html, re.I), "every script is inlined"
    assert not re.search(r'<link[^>]+href=["\']?(https?:)?//', html, re.I), "no stylesheet or font from the network"
    assert not re.search(r'@import|url\(\s*["\']?https?:', html.split("<script>", 1)[0]), "CSS loads nothing"
    assert "Plotly.newPlot" in html and len(html) > 1_000_000, "plotly's full bundle is inlined"


def test_a_sentence_cannot_close_the_data_script():
    html = render(sample_data())
    data_block = html.split('id="hasila-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data_block, "'<' is escaped inside the JSON, so </script> in a sentence stays text"


def test_load_reads_through_the_guarded_connection(tmp_path, monkeypatch):
    opened = []

    def fake_open(path):
        opened.append(Path(path))
        raise FileNotFoundError("stop here")

    monkeypatch.setattr(report_module, "open_guarded", fake_open)
    with pytest.raises(FileNotFoundError):
        report_module.load(tmp_path / "w.duckdb")
    assert opened == [tmp_path / "w.duckdb"]


def test_cli_report_writes_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(report_module, "load", lambda warehouse: sample_data())
    out = tmp_path / "sub" / "r.html"
    result = CliRunner().invoke(cli, ["report", "--warehouse", str(tmp_path / "w.duckdb"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and SENTENCE.split("<")[0] in embedded(out.read_text(encoding="utf-8"))["tables"]["mentions"][0]["sentence"]


def test_cli_report_without_a_warehouse_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["report", "--warehouse", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 1 and "no published warehouse" in result.output
    assert not (tmp_path / "r.html").exists()
