"""Shared fixtures: a small Arabic corpus written on the fly, a fake extractor, the ../shared location,
warehouses refreshed once per session; and how the suite is spread over pytest-xdist's workers."""
from __future__ import annotations

import csv
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.extract.mention import Mention

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"  # absent on a plain clone: tests using it skip

# Short reports written for these tests (not taken from any article).
ARTICLES = {
    "a.txt": "قالت مصادر محلية إن ثلاثة مدنيين قتلوا يوم الثلاثاء في قصف مدفعي استهدف قرية في ريف إدلب الجنوبي. "
             "وأصيب خمسة آخرون بجروح متفاوتة ونقلوا إلى مستشفى قريب.",
    "b.txt": "أفاد ناشطون بأن دورية أمنية اعتقلت شابين في مدينة دير الزور بعد مداهمة منزلهما فجر اليوم، "
             "ولم تعرف التهمة الموجهة إليهما حتى الآن.",
    "c.txt": "انفجر لغم أرضي بسيارة تقل عمالا في بادية حمص الشرقية، ما أدى إلى مقتل أربعة منهم وإصابة سائق السيارة.",
}
NEW_ARTICLE = ("d.txt", "أطلق مسلحون مجهولون النار على رجل في بلدة بريف درعا الغربي مساء الأحد فأردوه قتيلا على الفور.")


def write_corpus(folder: Path, articles: dict[str, str], dates: dict[str, str] | None = None,
                 manifest: bool = True) -> Path:
    """Write articles (file name -> text) and a manifest giving each one a doc_id and a date."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    if manifest:
        with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["doc_id", "file", "published_at", "outlet", "url"])
            for name in articles:
                day = (dates or {}).get(name, "2023-05-02")
                writer.writerow([f"doc_{Path(name).stem}", name, day, "موقع تجريبي", f"https://example.org/{name}"])
    return folder


@pytest.fixture(autouse=True)
def serial_extraction(monkeypatch):
    """Extract in the test process: stand-in extractors and spies (lists a test reads back) live
    here, not in worker processes. The pool's own tests (test_extraction_pool.py) ask for workers."""
    monkeypatch.setenv("HASILA_WORKERS", "1")


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", ARTICLES)


def fake_mentions(text: str, doc_id: str, published_at=None, outlet=None) -> list[Mention]:
    """A deterministic stand-in for the extractor: one 'killed civilians' mention per sentence."""
    mentions, start = [], 0
    for sentence in text.split(". "):
        end = start + len(sentence)
        if sentence.strip():
            mentions.append(Mention(
                doc_id=doc_id, outcome="killed", count=len(sentence) % 7 + 1, count_qualifier="exact",
                victim="civilians", perpetrator=None, scope="incident",
                event_date=published_at.isoformat() if published_at else None,
                date_precision="day" if published_at else "unknown", period_start=None, period_end=None,
                place=None, admin1="SY-ID", source="other", char_start=start, char_end=end, sentence=sentence))
        start = end + 2
    return mentions


@pytest.fixture
def fake_extractor(monkeypatch):
    """Make the loader use `fake_mentions` (the real extractor is tested in its own files)."""
    monkeypatch.setattr("ingest.loader.extract_with_layout", without_layout(fake_mentions))
    return fake_mentions


def without_layout(extractor):
    """An extract_document-style stand-in as the loader calls it: (mentions, no document model)."""
    return lambda *args, **kwargs: (extractor(*args, **kwargs), None)


def extract_listed(folder: Path, doc_ids: set[str] | None = None) -> list[dict]:
    """The real extractor's mentions (as dicts) for the corpus `folder` with its manifest.csv, through
    the loop `hasila extract` runs (ingest.corpus_extraction.extract_corpus): the corpus loop of every
    gold test (only the manifest's `doc_ids`, when given)."""
    from ingest.corpus_extraction import extract_corpus

    return [m.to_dict() for _doc, mentions in extract_corpus(folder, doc_ids=doc_ids) for m in mentions]


def processes_mentioning(text: str) -> list[int]:
    """Live (not zombie) processes whose command line contains `text`: the kill tests' witnesses."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                state = next(line for line in (entry / "status").read_text().splitlines() if line.startswith("State:"))
            except (OSError, StopIteration):
                continue
            if text in cmdline and "zombie" not in state:
                found.append(int(entry.name))
    return found


def wait_until(predicate, seconds: float) -> bool:
    """Poll `predicate` for up to `seconds`; its last answer."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


# --- Warehouses refreshed once per session -------------------------------------------------------
# A real refresh (extractor, dbt build with its tests, expectations, publish) takes about a minute.
# Tests that only need a published warehouse share these; a test that changes one works on a copy.

@dataclass(frozen=True)
class Refreshed:
    corpus: Path
    warehouse: Path
    result: object  # ingest.refresh.RefreshResult


def _refresh_once(corpus: Path, folder: Path) -> Refreshed:
    from ingest.refresh import refresh

    warehouse = folder / "w.duckdb"
    with pytest.MonkeyPatch.context() as patch:  # session fixtures run before the autouse one
        patch.setenv("HASILA_WORKERS", "1")
        result = refresh(corpus, warehouse, echo=lambda line: None, show_progress=False)
    assert result.dbt.status == "passed" and not [c for c in result.checks if c.failed]
    return Refreshed(corpus, warehouse, result)


@pytest.fixture(scope="session")
def refreshed_articles(tmp_path_factory) -> Refreshed:
    """ARTICLES (corpus_dir's articles) refreshed with the real extractor."""
    root = tmp_path_factory.mktemp("refreshed_articles")
    return _refresh_once(write_corpus(root / "corpus", ARTICLES), root)


@pytest.fixture(scope="session")
def refreshed_bundled(tmp_path_factory) -> Refreshed:
    """The bundled corpus (corpus/sample) refreshed."""
    from ingest import BUNDLED_CORPUS

    return _refresh_once(BUNDLED_CORPUS, tmp_path_factory.mktemp("refreshed_bundled"))


def copy_of(refreshed: Refreshed, folder: Path) -> Refreshed:
    """The published warehouse and its corpus copied into `folder`, for a test that changes them."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Path(shutil.copytree(refreshed.corpus, folder / "corpus"))
    return Refreshed(corpus, Path(shutil.copy2(refreshed.warehouse, folder / refreshed.warehouse.name)),
                     refreshed.result)


# --- Spreading the suite over pytest-xdist's workers ---------------------------------------------
# pyproject's addopts run `pytest` on every core: --dist=loadgroup sends each xdist_group to one
# worker. A module's tests form one group (its module-scoped fixtures, often a dbt build, are built
# once), and every module using a session warehouse above joins that fixture's group (built once).
SHARED_WAREHOUSES = ("refreshed_articles", "refreshed_bundled")
# The groups that take longest, longest first (a CI run on cfd1400: about 690, 480 and 450 s of one worker's
# time under load). They start first, on both workers, and the shorter groups fill in around them: a long
# group handed out last would run alone while the other worker idles (the Spark test's did, near the end).
LONGEST_GROUPS = ("refreshed_bundled", "refreshed_articles", "tests/test_spark.py")


def pytest_addoption(parser, pluginmanager):
    """`pytest -p no:xdist` runs serially (as `-n 0` does): the addopts' xdist options are then unused."""
    if pluginmanager.is_blocked("xdist"):
        parser.addoption("--numprocesses")
        parser.addoption("--dist")
        parser.addoption("--no-loadscope-reorder", action="store_true")


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups
def pytest_collection_modifyitems(config, items):
    if not config.pluginmanager.hasplugin("xdist"):
        return
    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    rank = {}
    for module, module_items in modules.items():
        shared = sorted({name for item in module_items for name in SHARED_WAREHOUSES if name in item.fixturenames})
        group = "+".join(shared) or module
        for item in module_items:
            if not item.get_closest_marker("xdist_group"):
                item.add_marker(pytest.mark.xdist_group(group))
        # the longest groups first (LONGEST_GROUPS), then the other slow modules, the quick ones last
        slow = any(item.get_closest_marker("slow") for item in module_items)
        rank[module] = ((0, LONGEST_GROUPS.index(group)) if group in LONGEST_GROUPS
                        else (1, 0) if shared or slow else (2, 0))
    if hasattr(config, "workerinput"):  # a worker: the order it reports is the order work is handed out
        items.sort(key=lambda item: rank[item.nodeid.split("::")[0]])

