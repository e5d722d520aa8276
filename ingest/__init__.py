"""Hasila ingester: reads an article corpus, extracts casualty mentions, loads DuckDB raw tables."""
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _project_root() -> Path:
    """The folder holding dbt_project/, seeds/, expectations/ and corpus/: the checkout this package
    sits in, or, installed from a wheel (pip, `uv tool install`), the copy the wheel carries inside
    the package (ingest/_project, see pyproject.toml)."""
    checkout = _PACKAGE_DIR.parent
    if (checkout / "dbt_project" / "dbt_project.yml").is_file():
        return checkout
    return _PACKAGE_DIR / "_project"


PROJECT_ROOT = _project_root()
INSTALLED = PROJECT_ROOT != _PACKAGE_DIR.parent   # running from a wheel, not a checkout
SEEDS_DIR = PROJECT_ROOT / "seeds"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
BUNDLED_CORPUS = PROJECT_ROOT / "corpus" / "sample"
# In a checkout the warehouse sits at its root; installed, in the folder the command runs in.
DEFAULT_WAREHOUSE = Path("warehouse.duckdb") if INSTALLED else PROJECT_ROOT / "warehouse.duckdb"
# The environment variable naming the warehouse file, read by the CLI (--warehouse's default) and by
# dbt (dbt_project/profiles.yml); a refresh sets it for its dbt child to the build file.
WAREHOUSE_ENV = "HASILA_WAREHOUSE"
