"""The dbt project's structure, read from its files (no dbt run): dbt's structure guide and
jaffle-shop's conventions, so that a model added later follows them too.

- exports read marts only: an event-dataset export is a view of what analysts already read;
- a mart imports each model once, in an import CTE at the top (`x as (select * from ref(...))`),
  and its logic CTEs read those, never ref() again;
- one YAML file per mart, named after it, beside its SQL.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
MODELS = REPO / "dbt_project" / "models"
MARTS = MODELS / "marts"

REF = re.compile(r"\{\{\s*ref\(\s*'(\w+)'\s*\)\s*\}\}")
# a CTE, as the house style writes it: `name as (` ... a line that is only `)`
CTE = re.compile(r"(?:\bwith|,)\s*(\w+) as \((.*?)\n\)", re.S)
IMPORT_CTE = re.compile(r"\s*select \* from \{\{\s*(?:ref|source)\([^)]*\)\s*\}\}\s*")


def sql_without_comments(path: Path) -> str:
    return re.sub(r"--[^\n]*", "", re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S))


def mart_paths() -> list[Path]:
    return sorted(MARTS.rglob("*.sql"))


def import_problems(sql: str) -> list[str]:
    """What breaks 'import CTEs first, no ref() in logic': [] when the SQL follows it."""
    ctes = CTE.findall(sql)
    if not ctes:  # a one-select model (a dimension over a seed) may ref its one input inline
        return ["more than one ref() without import CTEs"] if len(REF.findall(sql)) > 1 else []
    problems, seen_logic = [], False
    for name, body in ctes:
        if IMPORT_CTE.fullmatch(body):
            if seen_logic:
                problems.append(f"import CTE {name} after a logic CTE")
        else:
            seen_logic = True
            if REF.search(body):
                problems.append(f"ref() inside logic CTE {name}")
    final_select = sql[sql.rfind("\n)") + 2:]
    if REF.search(final_select):
        problems.append("ref() in the final select")
    return problems


def test_exports_read_marts_only():
    marts = {path.stem for path in mart_paths()}
    for path in sorted((MARTS / "exports").glob("*.sql")):
        refs = set(REF.findall(sql_without_comments(path)))
        assert refs, f"{path.name} reads no model"
        assert refs <= marts, f"{path.name} reads {sorted(refs - marts)}, which are not marts"


def test_marts_import_each_model_first_and_never_ref_in_logic():
    for path in mart_paths():
        assert not import_problems(sql_without_comments(path)), (path.name, import_problems(sql_without_comments(path)))


def test_import_rule_catches_a_ref_in_logic():
    """The rule above must be able to fail: a ref() inside a logic CTE, and an import after logic."""
    inline = "with a as (\n    select * from {{ ref('x') }}\n),\n\nb as (\n    select * from {{ ref('y') }} where k\n)\n\nselect * from b"
    late = "with a as (\n    select 1 from t\n),\n\nb as (\n    select * from {{ ref('y') }}\n)\n\nselect * from b"
    assert import_problems(inline) == ["ref() inside logic CTE b"]
    assert import_problems(late) == ["import CTE b after a logic CTE"]


def test_one_yaml_per_mart_beside_its_sql():
    for path in mart_paths():
        yml = path.with_suffix(".yml")
        assert yml.exists(), f"{path.name} has no {yml.name} beside it"
        models = (yaml.safe_load(yml.read_text(encoding="utf-8")) or {}).get("models", [])
        assert [model["name"] for model in models] == [path.stem], f"{yml.name} must describe {path.stem} only"
    for yml in sorted(MARTS.rglob("*.yml")):
        assert yml.with_suffix(".sql").exists(), f"{yml.name} describes no mart of that name"


def described_entries() -> list[tuple[str, str]]:
    """(where, description) of every model, seed, source table and column in the project's YAML."""
    entries = []
    for path in sorted(MODELS.rglob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        owners = [*doc.get("models", []), *doc.get("seeds", [])]
        owners += [table for source in doc.get("sources", []) for table in source.get("tables", [])]
        for owner in owners:
            for item in [owner, *owner.get("columns", [])]:
                if "description" in item:
                    entries.append((f"{path.name}:{owner['name']}.{item['name']}", item["description"]))
    return entries


def test_a_repeated_description_is_a_doc_block():
    """A description three columns share is written once, as a {% docs %} block in models/_docs.md."""
    places: dict[str, list[str]] = {}
    for where, description in described_entries():
        if "doc(" not in description and len(description) >= 30:
            places.setdefault(description, []).append(where)
    repeated = {text: where for text, where in places.items() if len(where) >= 3}
    assert not repeated, repeated


def test_every_doc_block_is_used_and_every_reference_exists():
    blocks = set(re.findall(r"\{%\s*docs\s+(\w+)\s*%\}", (MODELS / "_docs.md").read_text(encoding="utf-8")))
    used = {name for _, text in described_entries() for name in re.findall(r"doc\(\s*[\"'](\w+)[\"']\s*\)", text)}
    assert used <= blocks, f"doc() names no block: {sorted(used - blocks)}"
    assert blocks <= used, f"doc blocks nothing uses: {sorted(blocks - used)}"
