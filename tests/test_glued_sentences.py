"""A full stop glued to the next sentence ends the sentence; a dot that splits a word is taken out (made-up text)."""
from ingest.extract import extract_document
from ingest.extract.text import clean_text


def test_a_dot_after_a_word_final_letter_or_before_a_conjunction_is_kept():
    assert clean_text("قصف على بلدة الكرامة.كما اعتقلت").clean == "قصف على بلدة الكرامة.كما اعتقلت"
    assert clean_text("بريف المدينة الشرقي.ووفقا لمصادر").clean == "بريف المدينة الشرقي.ووفقا لمصادر"


def test_a_dot_that_splits_a_word_is_still_taken_out():
    assert clean_text("إصا.بة مجز.رة اعتـ.ـقال قص.ف").clean == "إصابة مجزرة اعتقال قصف"


def test_a_glued_full_stop_ends_the_sentence_and_its_place():
    text = "قتل 3 مدنيين بقصف على بلدة الكرامة بريف الرقة.كما اعتقلت القوات شخصين في مخيم الهول بريف الحسكة."
    got = [(m.outcome, m.count, m.admin1) for m in extract_document(text, "d")]
    assert ("killed", 3, "SY-RA") in got
    assert all(admin1 == "SY-HA" for outcome, _, admin1 in got if outcome == "arrested")


def test_a_dot_before_a_known_word_is_kept():
    """"الشرقي.قتل": the word after the dot is a lexicon word of its own and the two joined are none."""
    from ingest.extract.document import _known_word
    assert clean_text("بريف إدلب الشرقي.قتل 3 مدنيين", is_word=_known_word).clean == "بريف إدلب الشرقي.قتل 3 مدنيين"
    assert clean_text("ق.تل مق.تل ش.هيد", is_word=_known_word).clean == "قتل مقتل شهيد"
