"""Screenshots of `hasila report` for the README (docs/report_*.png), taken in headless Chromium.

    ./run hasila refresh --warehouse /tmp/shots/warehouse.duckdb          # the bundled corpus
    ./run hasila report --warehouse /tmp/shots/warehouse.duckdb --out /tmp/shots/report.html
    ./run python tools/report_screenshots.py /tmp/shots/report.html docs

Debian's /usr/bin/chromium (HASILA_CHROMIUM for another) driven by Playwright's Python package, as
tests/test_report_browser.py does, with every non-file:// request aborted: the page is shot as it
opens offline. Three pictures: the charts at the top, the map, and the sources panel after a click
on the largest incident (its Arabic sentences). Re-run when the report's look changes.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = Path(os.environ.get("HASILA_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]
VIEWPORT = {"width": 1100, "height": 800}
MAX_BYTES = 300_000  # the README's pictures stay small


def _offline(route) -> None:
    if route.request.url.startswith("file://"):
        route.continue_()
    else:
        route.abort()


def _section(page, selector: str, path: Path, margin: int = 12) -> None:
    """A section with a margin, cut from a full-page shot: there the sticky sources panel sits at the
    page's foot instead of covering the section."""
    top = page.locator(selector).evaluate("e => e.getBoundingClientRect().top + window.scrollY")
    height = page.locator(selector).evaluate("e => e.getBoundingClientRect().height")
    page.screenshot(path=str(path), full_page=True,
                    clip={"x": 0, "y": max(0, top - margin), "width": VIEWPORT["width"], "height": height + 2 * margin})


def shoot(report: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
        page.route("**/*", _offline)
        page.goto(report.resolve().as_uri())
        page.wait_for_selector("#fig-map .main-svg")
        page.wait_for_timeout(500)  # plotly's last layout pass
        for name, selector in (("report_charts.png", "#sec-monthly"), ("report_map.png", "#sec-map")):
            shots.append(out_dir / name)
            _section(page, selector, shots[-1])
        page.locator("#incidents tbody tr").first.click()
        page.wait_for_selector("#drill .mention .sentence")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        shots.append(out_dir / "report_sources.png")
        page.screenshot(path=str(shots[-1]))
        browser.close()
    return shots


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    status = 0
    for path in shoot(Path(args[0]), Path(args[1])):
        size = path.stat().st_size
        print(f"{path}  {size // 1000} KB")
        if size > MAX_BYTES:
            print(f"{path} is over {MAX_BYTES // 1000} KB", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
