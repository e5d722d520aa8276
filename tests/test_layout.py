"""The document model (ingest/extract/layout.py) on page captures written for this suite.

Every text here is made up in the shape of a Facebook post, an X post or a news page: header glued
to the first sentence, counters glued to the last, a comment thread, a related-article list.
"""
from datetime import date

import pytest

from ingest.extract import extract_document
from ingest.extract.document import document_layout

PUB = date(2024, 5, 20)

FB_POST = (
    "صفحة أخبار البلدة - قتل 3 مدنيين في قصف...\n"
    "Facebook\u200eصفحة أخبار البلدة\u200e's Post\n\n"
    "صفحة أخبار البلدةMay 19, 2024 · Shared with Public"
    "قتل 3 مدنيين وأصيب 5 آخرون جراء قصف مدفعي على قرية في ريف إدلب الجنوبي."
    "#إدلب #الأطفال11145"
    "All reactions:2.1K453 comments12 sharesLikeCommentMost relevant"
    "أبو محمدالله يرحم الشهداء وقتل 7 من عائلتي قبل سنتين21wسامر علي2 جرحى عندنا1y"
)

X_POST = (
    "Post\n\nPost\n\n"
    "مرصد الشمال@north_watch"
    "قتل مدنيان بغارة جوية على بلدة في ريف حماة الشمالي صباح اليوم.\n"
    "10:43 PM · Jun 15, 2025·12K Views\n"
    "ردود: قتل 9 في مكان آخر"
)

NEWS_PAGE = (
    "الرئيسية\n\nأخبار\n\n"
    "قتل 4 مدنيين بقصف على بلدة في ريف حلب الغربي.\n\n"
    "الأكثر قراءة\n\n"
    "مقتل 12 عنصراً في هجوم على حاجز\n\n"
    "إصابة 6 أشخاص بانفجار لغم\n\n"
    "التعليقات (2)\n\n"
    "قتل 30 شخصاً في تلك المجزرة التي لا ننساها"
)


def kinds(text):
    return [(r.kind, r.rule) for r in document_layout(text).regions]


def test_facebook_post_is_split_into_header_body_counters_and_comments():
    layout = document_layout(FB_POST)
    by_kind = {r.kind for r in layout.regions}
    assert {"header", "body", "engagement", "hashtag"} <= by_kind
    header = next(r for r in layout.regions if r.kind == "header")
    assert FB_POST[header.orig_start:header.orig_end].endswith("Shared with Public")
    chrome = next(r for r in layout.regions if r.kind == "engagement" and r.rule == "fb_all_reactions")
    assert FB_POST[chrome.orig_start:].startswith("All reactions:")
    assert chrome.orig_end == len(FB_POST)
    assert layout.header_date == date(2024, 5, 19)


def test_only_the_body_of_a_post_is_read():
    ms = extract_document(FB_POST, "fb", PUB)
    assert sorted((m.outcome, m.count) for m in ms) == [("injured", 5), ("killed", 3)]
    start = FB_POST.index("Shared with Public") + len("Shared with Public")
    assert all(start <= m.char_start < FB_POST.index("All reactions:") for m in ms)


def test_a_number_glued_to_a_hashtag_is_never_a_count():
    text = "قتل 2 مدنيين بقصف على قرية في ريف إدلب #الضحايا_المدنيون45"
    layout = document_layout(text)
    [tag] = [r for r in layout.regions if r.kind == "hashtag"]
    assert text[tag.orig_start:tag.orig_end] == "45"
    assert [m.count for m in extract_document(text, "t", PUB)] == [2]


def test_header_date_is_used_when_the_manifest_has_none():
    [m] = [m for m in extract_document(FB_POST, "fb", None) if m.outcome == "killed"]
    assert m.event_date == "2024-05-19"


def test_x_post_timestamp_gives_the_date_and_ends_the_post():
    layout = document_layout(X_POST)
    assert layout.header_date == date(2025, 6, 15)
    assert layout.header_date_rule == "x_timestamp"
    ms = extract_document(X_POST, "x", None)
    assert [(m.outcome, m.count, m.event_date) for m in ms] == [("killed", 2, "2025-06-15")]


def test_arabic_header_date():
    text = "صفحة البلدة\n22 أكتوبر 2025 · Shared with Public\nقتل مدني برصاص مجهولين في درعا."
    assert document_layout(text).header_date == date(2025, 10, 22)


def test_related_list_and_comment_thread_of_a_news_page_are_not_read():
    layout = document_layout(NEWS_PAGE)
    assert ("related", "related_most_read") in kinds(NEWS_PAGE)
    assert any(r.kind == "related" and r.rule == "related_list" for r in layout.regions)
    assert any(r.kind == "comments" for r in layout.regions)
    assert [m.count for m in extract_document(NEWS_PAGE, "n", PUB)] == [4]


def test_regions_map_back_to_the_original_text():
    text = "قُتِلَ 3 مدنيين بقصف على قرية في ريف إدلب.All reactions:12"
    layout = document_layout(text)
    chrome = next(r for r in layout.regions if r.kind == "engagement")
    assert text[chrome.orig_start:chrome.orig_end] == "All reactions:12"
    body = next(r for r in layout.regions if r.kind == "body")
    assert text[body.orig_start:body.orig_end] == "قُتِلَ 3 مدنيين بقصف على قرية في ريف إدلب."


def test_a_plain_article_is_all_body():
    text = "قتل 3 مدنيين بقصف على قرية في ريف إدلب.\nوأصيب 4 آخرون."
    assert [r.kind for r in document_layout(text).regions] == ["body"]


def test_a_relative_post_age_is_header_but_gives_no_date():
    text = "صفحة البلدة\n3h · Shared with Public\nقتل مدني برصاص مجهولين في درعا."
    layout = document_layout(text)
    assert (layout.header_date, layout.header_date_rule) == (None, "relative_post_age")
    assert [m.event_date for m in extract_document(text, "t", None)] == [None]


def test_arabic_comment_heading_ends_the_article():
    text = "قتل 3 مدنيين بقصف على قرية في ريف إدلب.\n\nأضف تعليقاً\n\nقتل 8 في مكان آخر منذ سنوات"
    layout = document_layout(text)
    assert layout.regions[-1].kind == "comments"
    assert [m.count for m in extract_document(text, "t", PUB)] == [3]


def test_the_loader_gets_mentions_and_layout_in_one_pass():
    from ingest.extract.document import extract_with_layout
    mentions, layout = extract_with_layout(FB_POST, "fb", None)
    assert layout.header_date == date(2024, 5, 19)
    assert {r.kind for r in layout.dropped} >= {"header", "engagement"}
    assert mentions == extract_document(FB_POST, "fb", None)


def test_x_timestamp_in_the_arabic_interface():
    text = "Post\n\nمرصد البلدة@town_obs\nقتل مدنيان بغارة على ريف حماة.\n10:43 م · 15 يونيو 2025\n12 ألف مشاهدة\nقتل 9"
    layout = document_layout(text)
    assert (layout.header_date, layout.header_date_rule) == (date(2025, 6, 15), "x_timestamp_ar")
    assert [m.count for m in extract_document(text, "x", None)] == [2]


def test_attribution_line_of_an_embedded_post_is_furniture():
    text = "قتل مدني في قصف على درعا.\n— Some Reporter (@some_rep) February 1, 2025\n"
    assert ("furniture", "embed_attribution") in kinds(text)


EMBED_BODY = "قتل 3 مدنيين وأصيب 5 آخرون بقصف مدفعي على قرية في ريف إدلب الجنوبي، وفق الدفاع المدني.\n\n"
EMBED_ATTRIBUTION = "— Town News (@town_news) February 1, 2025\n"


def counts(text):
    return sorted(m.count for m in extract_document(text, "n", PUB))


def test_the_outlets_own_post_retelling_the_article_is_dropped():
    post = "الدفاع المدني: مقتل 3 مدنيين وإصابة 5 آخرين بقصف مدفعي على قرية في ريف إدلب #إدلب pic.twitter.com/x1w\n"
    text = EMBED_BODY + post + EMBED_ATTRIBUTION
    assert ("furniture", "embedded_post") in kinds(text)
    assert counts(text) == [3, 5]


def test_a_post_shown_twice_is_read_once():
    post = "الخوذ البيضاء: قتل 7 أشخاص بغارة جوية على مخيم للنازحين قرب الحدود\n"
    text = "قال ناشطون إن الغارات تواصلت على المنطقة.\n\n" + post + EMBED_ATTRIBUTION + "\n" + post + "\n" + EMBED_ATTRIBUTION
    assert [r.rule for r in document_layout(text).dropped].count("embedded_post") == 1
    assert counts(text) == [7]


@pytest.mark.parametrize("post, expected", [
    # another figure than the body's, in the body's own words
    ("قتل 4 مدنيين وأصيب 5 آخرون بقصف مدفعي على قرية في ريف إدلب الجنوبي\n", [3, 4, 5, 5]),
    # no new figure, but mostly words the body does not have
    ("مشاهد من استجابة فرقنا لقصف استهدف منازل الأهالي صباح اليوم وإخماد الحرائق\n", [3, 5]),
])
def test_a_post_that_says_more_than_the_body_stays_in_the_body(post, expected):
    text = EMBED_BODY + post + EMBED_ATTRIBUTION
    assert ("furniture", "embedded_post") not in kinds(text)
    assert counts(text) == expected


def test_the_paragraph_above_a_post_whose_text_was_not_captured_stays_in_the_body():
    # a blank line between: the article's own paragraph (it may well repeat the lead), not the post
    text = EMBED_BODY + "وأكد الدفاع المدني مقتل 3 مدنيين وإصابة 5 آخرين بقصف مدفعي على قرية في ريف إدلب.\n\n" + EMBED_ATTRIBUTION
    assert ("furniture", "embedded_post") not in kinds(text)


def test_read_also_inside_the_text_drops_one_title_only():
    text = ("قتل 3 مدنيين بقصف على قرية في ريف إدلب.\n\nاقرأ أيضاً\n\nمقتل 12 عنصراً في هجوم على حاجز\n\n"
            "وأصيب 4 آخرون بجروح في القصف نفسه")
    assert sorted(m.count for m in extract_document(text, "n", PUB)) == [3, 4]


def test_cookie_and_subscribe_lines_are_furniture():
    text = "قتل 3 مدنيين بقصف على قرية في ريف إدلب.\nنستخدم ملفات تعريف الارتباط لتحسين تجربتك وقتل 5\nاشترك الآن في نشرتنا 2"
    layout = document_layout(text)
    assert [r.rule for r in layout.dropped] == ["boilerplate"]
    assert [m.count for m in extract_document(text, "n", PUB)] == [3]


def test_a_handle_deep_in_the_text_is_not_the_author_line():
    body = "قتل 3 مدنيين بقصف على قرية في ريف إدلب. " * 8
    text = "Post\n\n" + body + "بحسب @local_news\n10:43 PM · Jun 15, 2025"
    assert [m.count for m in extract_document(text, "x", None)][:1] == [3]
    assert not any(r.rule == "x_author_handle" for r in document_layout(text).regions)


def test_headlines_cut_short_are_links_to_other_articles():
    text = ("قتل 3 مدنيين بقصف على قرية في ريف إدلب.\n\nمقتل 7 عناصر بهجوم على حاجز في ريف…\n"
            "إصابة 4 أشخاص بانفجار في سوق…\n")
    assert ("related", "truncated_title") in kinds(text)
    assert [m.count for m in extract_document(text, "n", PUB)] == [3]


def test_a_post_cut_short_is_still_the_post():
    text = "صرخات طفلة في المخيم\nإصابة 4 أشخاص بقصف صاروخي على مخيم في ريف إدلب، اليوم الأحد…"
    assert [m.count for m in extract_document(text, "n", PUB)] == [4]


def test_previous_and_next_article_links_are_not_read():
    text = "قتل 3 مدنيين بقصف على قرية في ريف إدلب.\n\nالسابق\n\nمقتل 5 عناصر في هجوم على حاجز\n\nالتالي\n\nإصابة 6 أشخاص بانفجار"
    assert [m.count for m in extract_document(text, "n", PUB)] == [3]


def test_a_related_articles_heading_of_several_words_opens_a_list():
    # "مقالات ذات صلة" is followed by other articles' headlines, section tags between them
    text = ("استشهد طفل بقصف مدفعي على بلدة في ريف إدلب الجنوبي صباح اليوم.\n\nمقالات ذات صلة\n\n"
            "إصابة طفلين بقصف على مخيم\n\nقصف\n\nمقتل طفلة\n\nثلاثة شهداء بقصف على بلدة")
    assert ("related", "related_articles_linked") in kinds(text)
    assert [m.count for m in extract_document(text, "n", PUB)] == [1]


def test_a_teaser_under_one_title_does_not_end_a_related_list():
    titles = "\n\n".join(["عنوان مقال آخر عن الاقتصاد", "عنوان مقال ثالث عن السياسة", "عنوان مقال رابع عن الرياضة"])
    teaser = "قتل وجرح عشرات المدنيين جراء غارات جوية استهدفت سوقاً شعبياً في مدينة على طرف البادية، فيما تواصل القصف على القرى."
    text = ("قتل 3 مدنيين بقصف على قرية في ريف إدلب.\n\nالأكثر مشاهدة\n\n" + titles + "\n\n" + teaser +
            "\n\nمقتل 5 عناصر في هجوم على حاجز")
    assert ("related", "related_teaser") in kinds(text)
    assert [m.count for m in extract_document(text, "n", PUB)] == [3]
    # after a single title, a paragraph is the text going on
    para = "وقتل 4 مدنيين وأصيب آخرون جراء غارات جوية استهدفت سوقاً شعبياً في مدينة على طرف البادية صباح اليوم."
    text = "الأكثر مشاهدة\n\nعنوان مقال آخر\n\n" + para + "\n\nعنوان قصير"
    assert [m.count for m in extract_document(text, "n", PUB)] == [4]


BODY = ("قتل 3 مدنيين وأصيب خمسة آخرون بجروح متفاوتة جراء قصف مدفعي استهدف منازل المدنيين في قرية بريف إدلب الجنوبي "
        "صباح اليوم، وفق ما أفاد به مراسلون محليون ومصادر في الدفاع المدني الذي عمل على إسعاف المصابين.")


def test_a_run_of_headlines_at_the_end_of_a_page_is_not_read():
    titles = ["مقتل 4 أشخاص بانفجار لغم في ريف دير الزور", "احتجاجات لموظفين في الرقة", "توغل جديد في ريف درعا",
              "إصابة طفلين بقصف على ريف حلب"]
    text = BODY + "\n\n" + "\n\n".join(titles)
    assert ("related", "trailing_titles") in kinds(text)
    assert [m.count for m in extract_document(text, "n", PUB)] == [3, 5]


def test_a_numbered_list_at_the_end_is_still_read():
    text = BODY + "\n\nعرف من بين القتلى اثنان وهما\n1 - سامر العلي\n2 - أحمد الخالد\n3 - مجهول الهوية"
    assert not any(r.rule == "trailing_titles" for r in document_layout(text).regions)


def test_a_comments_closed_notice_is_furniture_and_the_article_goes_on():
    """"التعليقات على <headline> مغلقة" (lexicon_cues.csv, comments_closed_word) does not open the comment thread."""
    from ingest.extract import extract_document
    text = ("قصف على بلدة في الريف الشرقي\n\nالتعليقات على قصف على بلدة في الريف الشرقي مغلقة\n\n"
            "أصيب ثلاثة مدنيين بقصف مدفعي على البلدة صباح اليوم.\n")
    assert [(m.outcome, m.count) for m in extract_document(text, "t", None)] == [("injured", 3)]


# Page blocks told by their shape (ingest/extract/page_blocks.py): texts made up for this suite.
MENU = "\n\n".join(["الرئيسية", "أخبار محلية", "العالم", "اقتصاد", "رياضة", "ثقافة وفن", "منوعات", "تقارير خاصة",
                    "English", "Français", "فيديو", "اتصل بنا"])
LEAD = "قتل 3 مدنيين بقصف مدفعي على قرية في ريف الحسكة الشمالي مساء اليوم بحسب مصادر محلية متطابقة."


def test_a_site_menu_at_the_top_of_a_page_is_furniture():
    text = MENU + "\n\nعنوان الخبر عن القصف في الريف\n\n" + LEAD
    assert kinds(text)[0] == ("furniture", "leading_menu")
    body = next(r for r in document_layout(text).regions if r.kind == "body")
    assert text[body.orig_start:].startswith("عنوان الخبر")
    assert [m.count for m in extract_document(text, "n", PUB)] == [3]


def test_a_menu_full_of_foreign_capitals_does_not_make_the_story_foreign():
    # the lead would otherwise be the menu, and a lead naming only places abroad is another country's story
    menu = "\n\n".join(["استوديو بيروت", "استوديو القاهرة", "استوديو باريس", "روسيا", "العالم العربي", "رياضة",
                        "منوعات", "فيديو", "الصحة"] * 5)
    text = menu + "\n\n" + LEAD
    assert [m.count for m in extract_document(text, "n", PUB)] == [3]


def test_a_few_short_lines_or_a_casualty_line_on_top_are_not_a_menu():
    # a post's header is a handful of short lines; a two-word statement of deaths is the report itself
    assert ("furniture", "leading_menu") not in kinds("الرئيسية\n\nأخبار\n\nالعالم\n\n" + LEAD)
    text = "مقتل مدنيين\n\n" + MENU + "\n\n" + LEAD
    assert ("furniture", "leading_menu") not in kinds(text)


ITEMS = [("عنوان مقال آخر عن الاقتصاد", "نص تعريفي بالمقال الآخر يذكر مقتل 7 أشخاص في بلد بعيد عن هنا."),
         ("عنوان مقال ثالث عن الرياضة", "نص تعريفي بالمقال الثالث يذكر إصابة 9 لاعبين في مباراة ودية.")]


def _feed(items):
    return "\n\n".join(f"{title}\n{teaser}\n\n{title}\n\n{teaser}" for title, teaser in items)


def test_a_feed_of_other_articles_each_printed_twice_is_not_read():
    text = LEAD + "\n\n" + _feed(ITEMS)
    assert ("related", "repeated_teasers") in kinds(text)
    assert [m.count for m in extract_document(text, "n", PUB)] == [3]


def test_one_repeated_item_or_a_feed_with_no_text_above_it_is_read():
    # one headline printed twice is a coincidence; a page that is nothing but repeated items has no article to protect
    assert ("related", "repeated_teasers") not in kinds(LEAD + "\n\n" + _feed(ITEMS[:1]))
    assert ("related", "repeated_teasers") not in kinds(_feed(ITEMS))


def test_headlines_right_above_a_related_heading_are_other_articles():
    text = (LEAD + "\n\nصورة من موقع القصف في القرية\n\nمقتل 5 عناصر في هجوم على حاجز في منبج\n\n"
            "مقالات ذات صلة\n\nعنوان مقال آخر")
    assert ("related", "titles_above_related") in kinds(text)
    mentions = extract_document(text, "n", PUB)
    assert [(m.count, m.admin1) for m in mentions] == [(3, "SY-HA")]


def test_the_last_sentence_above_a_related_heading_stays_in_the_body():
    # one short line without a period may be the text's last sentence
    text = LEAD + "\n\nوأصيب 4 آخرون بجروح في القصف نفسه\n\nمقالات ذات صلة\n\nعنوان مقال آخر"
    assert ("related", "titles_above_related") not in kinds(text)
    assert sorted(m.count for m in extract_document(text, "n", PUB)) == [3, 4]


def test_read_also_at_the_end_of_a_page_drops_the_whole_list():
    text = (LEAD + "\n\nإقرأ أيضاً\n\nمقاتلون يقدمون شكوى ضد وزير\n\nتشييع جثمان شهيد في مدينة الرقة\n\n"
            "تفكيك خلية في ريف دير الزور")
    regions = [r for r in document_layout(text).regions if r.rule == "related_list"]
    assert text[regions[0].orig_start:regions[-1].orig_end].endswith("تفكيك خلية في ريف دير الزور")
    assert [(m.count, m.admin1) for m in extract_document(text, "n", PUB)] == [(3, "SY-HA")]


def test_a_headlines_box_is_a_related_list():
    text = LEAD + "\n\nالعناوين\n\nمقتل 11 شخصا بقصف على خيمة\n\nعنوان مقال آخر"
    assert ("related", "related_headlines") in kinds(text)
    assert [m.count for m in extract_document(text, "n", PUB)] == [3]


def test_posts_of_one_account_each_shown_twice_are_quoted_posts_not_a_feed():
    # the same attribution line under every post of the account that day: its post and attribution repeat like
    # a feed item, but it is a post the article quotes (embeds.py keeps one copy of each)
    posts = ["الخوذ البيضاء: قتل 7 أشخاص بغارة جوية على مخيم للنازحين قرب الحدود",
             "الخوذ البيضاء: أصيب 4 أطفال بقصف مدفعي على مدرسة في البلدة"]
    text = "قال ناشطون إن الغارات تواصلت على المنطقة منذ الصباح الباكر وحتى ساعات المساء.\n\n" + "\n".join(
        post + "\n" + EMBED_ATTRIBUTION + "\n" + post + "\n\n" + EMBED_ATTRIBUTION for post in posts)
    assert ("related", "repeated_teasers") not in kinds(text)
    assert counts(text) == [4, 7]


@pytest.mark.parametrize("heading", ["مقالات مشابهة", "مرتبط", "قد يهمك"])
def test_more_related_list_headings(heading):
    text = LEAD + "\n\n" + heading + "\n\nمقتل 5 عناصر في هجوم على حاجز\n\nعنوان مقال آخر"
    assert any(r.kind == "related" and r.start > len(LEAD) for r in document_layout(text).dropped)
    assert [m.count for m in extract_document(text, "n", PUB)] == [3]


def test_a_news_sites_menu_above_its_language_switcher_is_not_read():
    # the site's date line and latest headlines, then "اللغة/Language" and the languages, then the article
    text = ("الخميس 3 نيسان, 2025\n\nمقتل 4 عمال بانفجار لغم على طريق المدينة\n\nافتتاح معرض للكتاب في المدينة\n\n"
            "اللغة/Language\n\nعربي\n\nENGLISH\n\n"
            "أصيب 3 مدنيين بقصف مدفعي على قرية في ريف منبج صباح اليوم، ونقلوا إلى مشفى المدينة.")
    assert ("header", "site_language_switcher") in kinds(text)
    assert [(m.outcome, m.count) for m in extract_document(text, "n", PUB)] == [("injured", 3)]
