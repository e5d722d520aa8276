{#- Use the configured schema name as is (staging, intermediate, marts, exports,
    reference) instead of dbt's default "<target>_<custom>", so BI users see
    stable schema names whatever the target. Models without +schema use the target schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
