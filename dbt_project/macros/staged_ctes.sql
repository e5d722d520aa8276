{#- A CTE that Spark builds as a table before the model's statement (the pre-hook build_staged_tables),
    so that the statement reads the table instead of planning the CTE's whole chain inline.

    Spark inlines every CTE at each place it is read; in a model of rounds (int_mentions_linked: each
    round reads the one before several times) the copies multiply round after round, and planning the
    statement ran out of a 2 GB driver. Staging the rounds' CTEs cuts the chain: each statement Spark
    plans reads tables the statements before it left. On DuckDB the CTE is written as it stands:
    its SQL and results are those of a plain CTE.

        {% call staged_cte('components_1') %}
        select ...
        {% endcall %},
-#}
{% macro staged_cte(name) -%}
    {{- return(adapter.dispatch('staged_cte')(name, caller())) -}}
{%- endmacro %}

{% macro default__staged_cte(name, body) -%}
{{ name }} as (
{{ body | trim }}
)
{%- endmacro %}

{#- Spark: the body stays as an unread CTE `name`__staged, from which the pre-hook builds the table;
    `name` reads that table. -#}
{% macro spark__staged_cte(name, body) -%}
{{ name }}__staged as (
{{ body | trim }}
),
/* hasila.staged_cte {{ name }} */
{{ name }} as (
    select * from {{ staged_relation(name) }}
)
{%- endmacro %}

{#- The table a model's pre-hook stages as `name`, beside the model (Spark only). -#}
{% macro staged_relation(name, suffix='') -%}
    {{- return(api.Relation.create(database=this.database, schema=this.schema,
                                   identifier=this.identifier ~ '__' ~ name ~ suffix, type='table')) -}}
{%- endmacro %}

{#- Pre-hook of every model (dbt_project.yml): on Spark, for each marker in the model's compiled SQL,
    in order, builds the tables the model's statement reads: a staged CTE's (above) or a connected
    components' (macros/connected_components.sql), each from the CTEs written before its marker, in
    which the earlier markers already read their tables. Post-hook drop_staged_tables removes them.
    On DuckDB everything runs inside the model's statement: nothing to do. -#}
{% macro build_staged_tables() -%}
    {{- return(adapter.dispatch('build_staged_tables')()) -}}
{%- endmacro %}

{% macro default__build_staged_tables() -%}
{%- endmacro %}

{% macro spark__build_staged_tables() -%}
    {%- if execute -%}
    {%- for marker in modules.re.finditer(staged_marker_pattern(), model.compiled_code) -%}
        {%- set kind, arguments = marker.groups() -%}
        {%- set arguments = arguments.split() -%}
        {%- set ctes = model.compiled_code[:marker.start()] | trim -%}
        {%- set ctes = ctes[:-1] if ctes.endswith(',') else ctes -%}
        {%- if kind == 'staged_cte' -%}
            {%- set target = staged_relation(arguments[0]) -%}
            {%- do adapter.drop_relation(target) -%}
            {%- do run_query('create table ' ~ target ~ ' as ' ~ ctes ~ '\nselect * from ' ~ arguments[0] ~ '__staged') -%}
        {%- else -%}
            {%- do spark__build_connected_components(arguments[0], arguments[1], arguments[2], ctes) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{% macro staged_marker_pattern() -%}
    {{- return('/\\* hasila\\.(staged_cte|connected_components) (\\w+(?: \\w+)*) \\*/') -}}
{%- endmacro %}

{#- Post-hook of every model: the tables build_staged_tables left beside it (Spark only). -#}
{% macro drop_staged_tables() -%}
    {{- return(adapter.dispatch('drop_staged_tables')()) -}}
{%- endmacro %}

{% macro default__drop_staged_tables() -%}
{%- endmacro %}

{% macro spark__drop_staged_tables() -%}
    {%- if execute -%}
    {%- for marker in modules.re.finditer(staged_marker_pattern(), model.compiled_code) -%}
        {%- do adapter.drop_relation(staged_relation(marker.group(2).split()[0])) -%}
    {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
