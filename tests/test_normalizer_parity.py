"""One Arabic normaliser, in Python and in SQL.

The extractor matches text against the seeds with ingest/extract/text.normalize_form; the warehouse
matches place names against the gazetteer with the dbt macro normalize_arabic, built on fold_arabic
(dbt_project/macros/normalize_arabic.sql). Both must give the same form, or a name the extractor
found would not be found again in SQL. The macro's own Jinja is rendered (as dbt renders it) and run
in DuckDB on every entry of every seed.
"""
from __future__ import annotations

import csv
import re

import duckdb
import jinja2
import pytest

from ingest import DBT_PROJECT_DIR, SEEDS_DIR
from ingest.extract.text import normalize_form

MACROS = DBT_PROJECT_DIR / "macros" / "normalize_arabic.sql"
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def _macro(name: str):
    """A macro of normalize_arabic.sql as a function of a column expression, rendered with Jinja."""
    template = jinja2.Environment().from_string(MACROS.read_text(encoding="utf-8"))
    return getattr(template.module, name)


def _seed_entries() -> list[str]:
    """Every Arabic cell of every seed (a '|' separates the variants of a gazetteer name)."""
    entries = set()
    for path in sorted(SEEDS_DIR.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for cell in row.values():
                    if cell and _ARABIC.search(cell):
                        entries.update(cell.split("|"))
    return sorted(entries)


def _run(select: str, values: list[str]) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(f"select s, {select} from (select unnest(?::varchar[]) as s)", [values]).fetchall()


# Hand-made cases for what the seeds may not hold: every deleted mark, every folded letter, digits.
_EDGE_CASES = ["مُحَمَّدٌ", "بـــلـدة", "قَرْيَةٌ", "هٰذا", "إدلب\u200c", "\ufeffأعزاز", "آذار", "ٱلرقة", "مشفى",
               "٢٣ قتيلا", "۱۴ جريحا", "‏الحسكة‎"]


def test_seeds_hold_the_forms_compared():
    """The comparison below runs on the gazetteer, governorates and every lexicon."""
    entries = set(_seed_entries())
    assert len(entries) > 2000
    assert {"التضامن", "حي التضامن", "كانون الثاني", "الاثنين", "مقتل", "أول من أمس"} <= entries


@pytest.mark.parametrize("source", ["seeds", "edge_cases"])
def test_sql_fold_arabic_equals_python_normalize_form(source):
    """SQL fold_arabic(x) == Python normalize_form(x) for every seed entry (and the hand-made cases)."""
    values = _seed_entries() if source == "seeds" else _EDGE_CASES
    rows = _run(_macro("fold_arabic")("s"), values)
    differ = [(s, sql, normalize_form(s)) for s, sql in rows if sql != normalize_form(s)]
    assert not differ, f"{len(differ)} of {len(rows)} differ (form, SQL, Python), e.g. {differ[:5]}"


# normalize_arabic reads the place-name affixes from the calling model's import CTE of the seed
_AFFIXES = ("with place_name_affixes as (select * from read_csv(?, header = true, all_varchar = true)) ")


def _place_key(column: str) -> str:
    return _macro("normalize_arabic")(column, "place_name_affixes")


def test_place_key_does_not_depend_on_which_side_normalised():
    """normalize_arabic(x) == normalize_arabic(normalize_form(x)) on every gazetteer and governorate
    spelling: a name the extractor reports, normalised or not, meets its gazetteer row in SQL."""
    places = sorted(_spellings("gazetteer.csv") | _spellings("governorates.csv"))
    with duckdb.connect() as con:
        rows = con.execute(_AFFIXES + f"select s, {_place_key('s')}, {_place_key('p')} from (select "
                           "unnest(?::varchar[]) as s, unnest(?::varchar[]) as p)",
                           [str(SEEDS_DIR / "place_name_affixes.csv"), places,
                            [normalize_form(s) for s in places]]).fetchall()
    assert len(rows) > 600
    assert [r for r in rows if r[1] != r[2]] == []


def test_place_key_strips_the_seed_affixes():
    """The prefixes and compass words are the rows of seeds/place_name_affixes.csv, read at run time;
    each is one word of Arabic letters, as the macro compares a name's first or last word with them."""
    with open(SEEDS_DIR / "place_name_affixes.csv", encoding="utf-8", newline="") as f:
        forms = [row["form"] for row in csv.DictReader(f)]
    assert forms and all(re.fullmatch(r"[\u0621-\u064a]+", form) for form in forms), forms
    names = ["ريف حلب الشمالي", "مدينة الرقّة", "بادية حمص الشرقية", "مخيم الهول", "دير الزور", "ريف"]
    with duckdb.connect() as con:
        keys = [key for _, key in con.execute(
            _AFFIXES + f"select s, {_place_key('s')} from (select unnest(?::varchar[]) as s)",
            [str(SEEDS_DIR / "place_name_affixes.csv"), names]).fetchall()]
    assert keys == ["حلب", "رقه", "حمص", "هول", "دير زور", "ريف"]


def _spellings(seed: str) -> set[str]:
    with open(SEEDS_DIR / seed, encoding="utf-8", newline="") as f:
        return {name for row in csv.DictReader(f) for col in ("name_ar", "variants_ar")
                for name in (row.get(col) or "").split("|") if name}
