"""Words that look like places but are not (ingest/extract/places.py): made-up sentences."""
from ingest.extract import extract_document
from ingest.extract.places import find_places
from ingest.extract.text import normalize_form
from ingest.extract.tokens import tokenize


def places(text: str) -> list[str]:
    return [" ".join(m.words) for m in find_places(tokenize(normalize_form(text)))]


def test_a_common_word_does_not_hide_a_place_behind_a_proclitic():
    # place_homograph_word: "فرقة" (a unit) is not ف + "رقة" (Raqqa), "فاطمة" not ف + "أطمة"
    assert places("استجابت فرقة الدفاع المدني لهجوم") == []
    assert places("أصيبت فاطمة بجروح") == []
    assert places("وصلت دفعة لقاح جديدة") == []
    # the place itself, with or without proclitics, is still found
    assert places("قصف على بلدة أطمة وعلى رقة") == ["اطمه", "رقه"]
    assert places("قصف على قاح وبأطمة") == ["قاح", "اطمه"]


def test_a_country_behind_two_proclitics_is_not_a_syrian_village():
    # "ولبنان" = و + "لبنان" (foreign_place), not و + ل + "بنان" (a village in Aleppo)
    assert places("وصلت التعزيزات من سوريا ولبنان") == []
    assert places("قصف على بنان وحلب") == ["بنان", "حلب"]


def test_a_place_name_read_as_an_ordinary_noun_is_no_place():
    # not_place_phrase: "الحراك السلمي" is the peaceful movement, not the town al-Hirak in Daraa
    assert places("واجه النظام الحراك السلمي بالرصاص") == []
    assert places("اغتيال شخص في مدينة الحراك") == ["الحراك"]
    assert places("وتجدر الإشارة إلى أن القصف توقف") == []


def test_a_square_named_after_a_place_is_not_that_place():
    # street_feature_noun: "دوار المزرعة" is a roundabout in Damascus, not the village al-Mazraa (Sweida)
    assert places("سقط صاروخ عند دوار المزرعة بدمشق") == ["دمشق"]
    got = [(m.place, m.admin1) for m in extract_document("قتلت امرأة بسقوط صاروخ عند دوار المزرعة بدمشق.", "d")]
    assert got == [("دمشق", "SY-DI")]
    assert places("قصف على قرية المزرعة بريف السويداء")[0] == "المزرعه"

