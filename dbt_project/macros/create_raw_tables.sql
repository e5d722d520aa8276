{#
  The raw tables (schema `raw`), created by dbt itself so that `dbt build` works on a fresh clone:
  run as the project's on-run-start hook. The DDL is not repeated here: the hook reads
  ingest/raw_schema.sql, the file the Python loader applies, so the two can never drift apart.
  Every statement in it is idempotent (CREATE ... IF NOT EXISTS, ADD COLUMN IF NOT EXISTS, UPDATEs
  that only fill what is NULL), so running it on a loaded warehouse changes nothing.

  The file is read through DuckDB's read_text: dbt's Jinja cannot read files. Its path is relative
  to the project directory, which dbt gives as given on the command line (relative to the working
  directory, as DuckDB resolves it) or, by default, as the absolute working directory.
#}
{% macro raw_schema_path() -%}
  {{- invocation_args_dict.get('project_dir') or '.' -}}/{{ var('raw_schema_file') }}
{%- endmacro %}

{% macro create_raw_tables() -%}
  {%- if execute -%}
    {%- set path = raw_schema_path() | replace("'", "''") -%}
    {%- set found = run_query("SELECT content FROM read_text('" ~ path ~ "')") -%}
    {{- found.columns[0].values()[0] -}}
  {%- else -%}
    SELECT 1
  {%- endif -%}
{%- endmacro %}
