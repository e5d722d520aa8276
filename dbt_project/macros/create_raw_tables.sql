{#
  The raw tables (schema `raw`), declared by dbt itself as the project's on-run-start hook, so that
  `dbt build` works on a fresh clone (DuckDB) and on the Parquet an extraction wrote (Spark).

  DuckDB: the DDL is not repeated here: the hook reads ingest/raw_schema.sql, the file the Python
  loader applies, so the two can never drift apart. Every statement in it is idempotent (CREATE ...
  IF NOT EXISTS, ADD COLUMN IF NOT EXISTS, UPDATEs that only fill what is NULL), so running it on a
  loaded warehouse changes nothing. The file is read through DuckDB's read_text: dbt's Jinja cannot
  read files. Its path is relative to the project directory, which dbt gives as given on the command
  line (relative to the working directory, as DuckDB resolves it) or, by default, as the absolute
  working directory.
#}
{% macro raw_schema_path() -%}
  {{- invocation_args_dict.get('project_dir') or '.' -}}/{{ var('raw_schema_file') }}
{%- endmacro %}

{% macro create_raw_tables() -%}
  {{- return(adapter.dispatch('create_raw_tables')()) -}}
{%- endmacro %}

{% macro default__create_raw_tables() -%}
  {%- if execute -%}
    {%- set path = raw_schema_path() | replace("'", "''") -%}
    {%- set found = run_query("SELECT content FROM read_text('" ~ path ~ "')") -%}
    {{- found.columns[0].values()[0] -}}
  {%- else -%}
    SELECT 1
  {%- endif -%}
{%- endmacro %}

{#- Spark: each raw table is the Parquet dataset of that name under var raw_parquet_path, written by
    `python -m ingest.spark_extract` with the columns and types of ingest/raw_schema.sql. Spark runs one
    statement at a time, so the statements run here and the hook itself is a no-op. -#}
{% macro spark__create_raw_tables() -%}
  {%- if execute -%}
    {%- do run_query("create database if not exists raw") -%}
    {%- for table in ['documents', 'mentions', 'rejected_mentions', 'document_regions'] -%}
      {%- do run_query("drop table if exists raw." ~ table) -%}
      {%- do run_query("create table raw." ~ table ~ " using parquet location '"
                       ~ var('raw_parquet_path') ~ "/" ~ table ~ "'") -%}
    {%- endfor -%}
  {%- endif -%}
  select 1
{%- endmacro %}
