"""Words that look like places but are not (ingest/extract/places.py): made-up sentences."""
from datetime import date

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



def test_a_hashtag_names_a_place_of_several_words():
    # clean_text takes the underscore out of "#جسر_الشغور": the one word is still the town
    got = [(m.place, m.admin1) for m in extract_document("مقتل 3 مدنيين بقصف على #جسر_الشغور اليوم.", "d")]
    assert got == [("جسر الشغور", "SY-ID")]
    assert places("قصف على سدتشرين") == ["سدتشرين"]


def test_the_place_a_strike_came_from_is_not_where_it_happened():
    # strike_origin_cue: "من اتجاه الجولان" is the origin; the building hit is in Damascus
    text = ("نفذ العدو عدواناً جوياً من اتجاه الجولان مستهدفاً بناءً سكنياً في حي المزة بمدينة دمشق.\n"
            "وأسفر العدوان عن إصابة 3 مدنيين.")
    assert places("عدوان جوي من اتجاه الجولان") == []
    assert places("قصف على الجولان") == ["الجولان"]
    assert [m.admin1 for m in extract_document(text, "d")] == ["SY-DI"]


def test_the_place_displaced_victims_fled_from_is_not_where_they_were_hit():
    # displaced_origin_cue (+ settlement_noun): "نازحة من بلدة تل رفعت" is her origin; she was killed in Azaz
    assert places("استشهاد سيدة نازحة من بلدة تل رفعت") == []
    assert places("إصابة نازح من عفرين") == []
    assert places("اعتقال نازح من محافظة دير الزور") == []
    got = [m.admin1 for m in extract_document("مقتل امرأة نازحة من ريف حماة بقصف على مدينة إدلب.", "d")]
    assert got == ["SY-ID"]
    # two settlement nouns between the cue and the place: "من منطقة ريف حماة" is still the origin
    assert places("شهداء مهجرين من منطقة ريف حماة") == []
    assert places("نازحون من قرية ريف حلب") == []


def test_the_capital_named_as_a_landmark_keeps_a_town_of_its_countryside():
    # "north of the capital Damascus" locates a town of Rif Dimashq (the governorate around the city); the
    # clause's governorate overrules a place only when it lies in neither
    [m] = extract_document("قتل خمسة مدنيين في بلدة النبك شمالي العاصمة دمشق بقصف مدفعي.", "d", date(2023, 5, 1))
    assert (m.place, m.admin1) == ("النبك", "SY-RD")
    [m] = extract_document("قتل خمسة مدنيين في بلدة النبك شمالي حلب بقصف مدفعي.", "d", date(2023, 5, 1))
    assert m.admin1 == "SY-HL"   # a homonym the gazetteer does not hold: the text's governorate wins


def test_a_village_s_subdistrict_named_in_the_clause_beats_the_document_s_governorate():
    # the document names Kobani (Aleppo); the clause names the subdistrict the village lies in (Raqqa)
    text = ("أعلن مركز إعلامي ارتكاب جريمة بحق المدنيين في ريف كوباني.\n\n"
            "استهدفت طائرة مسيرة مجموعة من المدنيين في قرية صغيرة بناحية جلبية ما أدى إلى مقتل ثلاثة مواطنين.")
    [m] = extract_document(text, "t", date(2024, 5, 1))
    assert (m.admin1, m.place_rule) == ("SY-RA", "clause_place")


def test_the_tishreen_dam_under_its_other_name_is_the_dam():
    # seeds/gazetteer.csv: Kurdish outlets call Tishreen Dam "سد المقاومة" (the Resistance Dam)
    [m] = extract_document("استشهد مدنيان بقصف على سد المقاومة.", "d", date(2025, 1, 21))
    assert m.admin1 == "SY-HL" and places("قصف على سد المقاومة") == ["سد المقاومه"]


def test_a_place_named_after_a_direction_word_only_locates_the_one_before_it():
    # landmark_after_direction (direction_word): "الباب غربي منبج" says where al-Bab lies; the event is at al-Bab
    # even though Manbij is as specific and nearer to the count
    [m] = extract_document("استهدف قصف مدفعي مدينة الباب غربي منبج، ما أدى إلى مقتل ثلاثة مدنيين.", "d", date(2023, 5, 1))
    assert m.place.endswith("الباب") and m.place_rule == "landmark_after_direction"
    # two direction words and a settlement noun may stand between
    [m] = extract_document("استهدف قصف مدفعي مدينة الباب شمال شرقي مدينة منبج، ما أدى إلى مقتل ثلاثة مدنيين.", "d",
                           date(2023, 5, 1))
    assert m.place.endswith("الباب")
    # without the direction word both are places of the report: the nearest is kept
    [m] = extract_document("استهدف قصف مدفعي مدينة الباب ومدينة منبج، ما أدى إلى مقتل ثلاثة مدنيين.", "d", date(2023, 5, 1))
    assert m.place.endswith("منبج") and m.place_rule == "nearest_place"
    # "الغربي" after a countryside is an adjective of that place: the governorate after it is no landmark
    [m] = extract_document("طالت القذائف مزارع ريف الرقة الغربي وريف حلب، ما أدى إلى مقتل ثلاثة مدنيين.", "d", date(2023, 5, 1))
    assert m.place_rule != "landmark_after_direction"


def test_a_governorate_name_after_a_compass_word_is_the_region_not_the_city():
    # direction_region: "غربي حلب" with no place before it is western Aleppo governorate, so the town the
    # sentence names is more specific, even though the city of Aleppo would rank with it
    [m] = extract_document("مقتل امرأة بقصف غربي حلب طال مدينة الباب.", "d", date(2023, 5, 1))
    assert m.place.endswith("الباب")
    [m] = extract_document("استشهد مدني بقصف مدفعي جنوب إدلب.", "d", date(2023, 5, 1))
    assert (m.admin1, m.place_rule) == ("SY-ID", "direction_region")
