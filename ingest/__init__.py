"""Hasila ingester: reads an article corpus, extracts casualty mentions, loads DuckDB raw tables."""
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
BUNDLED_CORPUS = PROJECT_ROOT / "corpus" / "sample"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse.duckdb"
# The environment variable naming the warehouse file, read by the CLI (--warehouse's default) and by
# dbt (dbt_project/profiles.yml); a refresh sets it for its dbt child to the build file.
WAREHOUSE_ENV = "HASILA_WAREHOUSE"
