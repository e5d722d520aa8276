{#- Two CTEs that group mentions into connected components (both steps of int_mentions_linked use it):
    `name`_reach, recursive, pairs every mention of `starts` (a CTE of mention_id) with itself and with
    every mention it reaches through `edges` (a CTE of mention_id, other_id listing both directions);
    then `name` gives each of those mentions its component, named `component_column` after the smallest
    id its component holds. The calling model's CTEs must be `with recursive`. -#}
{% macro connected_components(name, starts, edges, component_column) -%}
{{ name }}_reach (mention_id, reached_id) as (
    select mention_id, mention_id from {{ starts }}
    union
    select {{ name }}_reach.mention_id, {{ edges }}.other_id
    from {{ name }}_reach
    inner join {{ edges }} on {{ name }}_reach.reached_id = {{ edges }}.mention_id
),

{{ name }} as (
    select mention_id, min(reached_id) as {{ component_column }}
    from {{ name }}_reach
    group by mention_id
)
{%- endmacro %}
