"""Every picture the README shows exists in the repository and stays small."""
from __future__ import annotations

import re

from tests.conftest import REPO_ROOT

MAX_BYTES = 300_000


def test_readme_pictures_exist_and_are_small():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert {"docs/report_charts.png", "docs/report_map.png", "docs/report_sources.png"} <= set(pictures)
    for picture in pictures:
        path = REPO_ROOT / picture
        assert path.is_file(), picture
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", picture
        assert path.stat().st_size < MAX_BYTES, picture
