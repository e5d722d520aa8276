{#- What Spark needs that the models' SQL and YAML do not say (dbt-spark, README "Scaling out on Spark").
    The models stay in one dialect through dbt's cross-database macros; these dispatch overrides only
    translate the few type names the YAML uses: Spark's VARCHAR needs a length, its text type is
    `string` (dbt.type_string()). The enforced contracts build their typed empty query through
    dbt.cast, so this is where the marts' `data_type: varchar` becomes Spark's `string`. -#}
{% macro spark_type(type) -%}
    {{- 'string' if type | trim | lower in ('varchar', 'text') else type -}}
{%- endmacro %}

{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type(type) }})
{%- endmacro %}

{#- Seeds on Spark: dbt-spark's session method splices each value into the INSERT between quotes
    without escaping, so a text with an apostrophe ("the Islamic State's own channels") breaks the
    statement. Here every value is a literal escaped for Spark's parser (backslash, then quote). -#}
{% macro spark__load_csv_rows(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set statements = [] -%}
  {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
    {%- set sql -%}
      insert into {{ this.render() }} values
      {% for row in chunk -%}
        ({%- for col_name in agate_table.column_names -%}
          {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
          {%- set value = row[loop.index0] -%}
          {%- if value is none -%} cast(null as {{ type }})
          {%- else -%} cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ type }})
          {%- endif -%}{{ ", " if not loop.last }}
        {%- endfor -%}){{ ", " if not loop.last }}
      {% endfor %}
    {%- endset -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {%- do statements.append(sql) if loop.first -%}
  {%- endfor -%}
  {{ return(statements[0]) }}
{% endmacro %}

{#- The marts' contracts enforce their columns and types on Spark too; their not-null constraints are
    not written into the tables: Spark's Parquet tables cannot hold them (ALTER COLUMN ... SET NOT NULL
    is for Delta), and the same columns' not_null tests run with every DuckDB build. -#}
{% macro spark__persist_constraints(relation, model) %}
{% endmacro %}
