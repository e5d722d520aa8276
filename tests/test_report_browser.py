"""`hasila report` in a real headless browser: Debian's Chromium driven by Playwright, network blocked.

The bundled corpus is refreshed (ingest + dbt) into a temporary warehouse, the report written, and
the page opened from file:// with every other request aborted: it must load with no console error,
draw its charts, lead from an incident row and from a map point to the Arabic sentences, and be
right-to-left. Only Playwright's Python package is used (never `playwright install`); .ci/run
installs Chromium with apt-get, and when that failed the test skips and says so.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ingest.report import write_report

CHROMIUM = Path(os.environ.get("HASILA_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]
ARABIC = re.compile(r"[\u0600-\u06FF]")

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture(scope="module")
def report_file(refreshed_bundled, tmp_path_factory) -> Path:
    """The report of the bundled corpus, refreshed once for the session (tests/conftest.py)."""
    return write_report(refreshed_bundled.warehouse, tmp_path_factory.mktemp("report") / "report.html")


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (dev dependency) not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: .ci/run installs it with apt-get (install failed or not run); "
                    "set HASILA_CHROMIUM to another Chromium binary")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, report_file):
    """The report opened offline; `page.problems` collects console errors and attempted requests."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.problems = []
    page.on("console", lambda message: page.problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))

    def offline(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            page.problems.append(f"network request: {route.request.url}")
            route.abort()

    page.route("**/*", offline)
    page.goto(report_file.as_uri())
    page.wait_for_selector(".main-svg")
    yield page
    page.close()


def test_report_loads_offline_and_draws_its_charts(page):
    page.wait_for_load_state("load")
    assert page.locator(".main-svg").count() >= 4
    for element_id in ("fig-monthly", "fig-casualties", "fig-regime", "fig-map"):
        assert page.locator(f"#{element_id} .main-svg").count() >= 1, element_id
    assert page.locator("#fig-map .scatterlayer .point").count() > 0, "incidents drawn on the map"
    assert page.evaluate("document.dir") == "rtl" and page.evaluate("document.documentElement.lang") == "ar"
    assert page.problems == []


def test_clicking_an_incident_shows_its_arabic_sentences(page):
    rows = page.locator("#incidents tbody tr")
    assert rows.count() > 0
    rows.first.click()
    sentences = page.locator("#drill .mention .sentence")
    assert sentences.count() > 0
    first = sentences.first
    assert ARABIC.search(first.text_content())
    assert first.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.locator("#drill").evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.locator("#incidents").evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert "الوثيقة" in page.locator("#drill .mention .meta").first.text_content()  # document, date, outlet
    assert page.problems == []


def click_first_point(page, element_id: str) -> None:
    """A real mouse click on the first drawn point (bar or marker) of a chart, centred in the window
    so the sticky sources panel at the bottom does not cover it."""
    point = page.locator(f"#{element_id} .scatterlayer .point, #{element_id} .barlayer .point").first
    point.evaluate("e => e.scrollIntoView({block: 'center'})")
    box = point.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.click(x, y)


@pytest.mark.parametrize("element_id", ["fig-monthly", "fig-casualties", "fig-regime"])
def test_clicking_a_chart_point_lists_the_sentences_behind_it(page, element_id):
    before = page.locator("#drill-title").text_content()
    click_first_point(page, element_id)
    page.wait_for_function("t => document.getElementById('drill-title').textContent !== t", arg=before)
    sentences = page.locator("#drill .mention .sentence")
    assert sentences.count() > 0 and ARABIC.search(sentences.first.text_content())
    assert page.locator("#incidents tbody tr").count() > 0, "the table lists the incidents behind the point"
    assert page.problems == []


def test_clicking_a_map_point_shows_that_incidents_sentences(page):
    click_first_point(page, "fig-map")
    page.wait_for_selector("#incidents tbody tr.selected")
    selected = page.locator("#incidents tbody tr.selected").get_attribute("data-incident")
    assert selected in page.locator("#drill-title").text_content()
    assert page.locator("#drill .mention .sentence").count() > 0
    assert page.problems == []
