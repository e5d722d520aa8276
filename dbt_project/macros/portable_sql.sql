{#- Portable forms of the few DuckDB idioms the models use (README "Scaling out on Spark"), as
    adapter.dispatch macros beside dbt's own cross-database macros (dbt.datediff, dbt.date_trunc...). -#}

{#- Every column of the relation in the FROM clause but `columns` (a list of names). -#}
{% macro star_except(columns) -%}
    {{- return(adapter.dispatch('star_except')(columns)) -}}
{%- endmacro %}

{% macro default__star_except(columns) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(columns) -%}
    * except ({{ columns | join(', ') }})
{%- endmacro %}

{#- A table of one row per piece of the string `expr` split at `delimiter` (one character), named
    alias(column), to follow `cross join`; an empty string gives one empty piece on both engines. -#}
{% macro split_to_rows(expr, delimiter, alias, column) -%}
    {{- return(adapter.dispatch('split_to_rows')(expr, delimiter, alias, column)) -}}
{%- endmacro %}

{% macro default__split_to_rows(expr, delimiter, alias, column) -%}
    unnest(string_split({{ expr }}, '{{ delimiter }}')) as {{ alias }}({{ column }})
{%- endmacro %}

{#- Spark splits at a regular expression: the delimiter goes in a character class. -#}
{% macro spark__split_to_rows(expr, delimiter, alias, column) -%}
    lateral explode(split({{ expr }}, '[{{ delimiter }}]')) as {{ alias }}({{ column }})
{%- endmacro %}

{#- The regular expressions of a macro's SQL (`sql`, rendered for DuckDB: RE2 patterns in standard SQL
    literals, regexp_replace(..., 'g') for every match, \1 for a group in a replacement) as the target
    reads them. Spark's literals treat a backslash as an escape (doubled here), its regexp_replace
    replaces every match without a flag, and a Java replacement names a group $1. -#}
{% macro regex_dialect(sql) -%}
    {{- return(adapter.dispatch('regex_dialect')(sql)) -}}
{%- endmacro %}

{% macro default__regex_dialect(sql) -%}
    {{- return(sql) -}}
{%- endmacro %}

{% macro spark__regex_dialect(sql) -%}
    {%- set java_groups = modules.re.sub("\\\\(\\d)", "$\\1", sql | replace(", 'g')", ")")) -%}
    {{- return(java_groups | replace("\\", "\\\\")) -}}
{%- endmacro %}

{#- The number of distinct non-null values of `expr` in a window (`window`: its partition clause). -#}
{% macro count_distinct_over(expr, window) -%}
    {{- return(adapter.dispatch('count_distinct_over')(expr, window)) -}}
{%- endmacro %}

{% macro default__count_distinct_over(expr, window) -%}
    count(distinct {{ expr }}) over ({{ window }})
{%- endmacro %}

{#- Spark has no DISTINCT in window functions: the size of the window's set of values. -#}
{% macro spark__count_distinct_over(expr, window) -%}
    size(collect_set({{ expr }}) over ({{ window }}))
{%- endmacro %}
