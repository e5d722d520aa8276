{#- Two CTEs that group mentions into connected components (both steps of int_mentions_linked use it):
    `name`_reach, recursive, pairs every mention of `starts` (a CTE of mention_id) with itself and with
    every mention it reaches through `edges` (a CTE of mention_id, other_id listing both directions);
    then `name` gives each of those mentions its component, named `component_column` after the smallest
    id its component holds. The calling model's CTEs must be `with recursive`. -#}
{% macro connected_components(name, starts, edges, component_column) -%}
    {{- return(adapter.dispatch('connected_components')(name, starts, edges, component_column)) -}}
{%- endmacro %}

{% macro default__connected_components(name, starts, edges, component_column) -%}
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

{#- Spark: its recursive CTEs take UNION ALL only, and a closure over undirected edges without UNION's
    de-duplication never ends. Instead each mention takes the smallest id among itself and its neighbours,
    `component_label_rounds` times (unrolled CTEs, each read once by the next): after as many rounds as a
    component's diameter every member holds the component's smallest id, the DuckDB result. Should a
    component be wider than that, the model fails naming the variable, never a silently split component. -#}
{% macro spark__connected_components(name, starts, edges, component_column) -%}
{%- set rounds = var('component_label_rounds') -%}
{{ name }}_round_0 (mention_id, label) as (
    select mention_id, mention_id from {{ starts }}
    union
    select mention_id, mention_id from {{ edges }}
    union
    select other_id, other_id from {{ edges }}
),

{{ name }}_neighbours (mention_id, other_id) as (
    select mention_id, mention_id from {{ name }}_round_0
    union all
    select mention_id, other_id from {{ edges }}
),
{% for round in range(1, rounds + 1) %}
{{ name }}_round_{{ round }} (mention_id, label) as (
    select {{ name }}_neighbours.mention_id, min({{ name }}_round_{{ round - 1 }}.label)
    from {{ name }}_neighbours
    inner join {{ name }}_round_{{ round - 1 }} on {{ name }}_neighbours.other_id = {{ name }}_round_{{ round - 1 }}.mention_id
    group by {{ name }}_neighbours.mention_id
),
{% endfor %}
{{ name }}_unsettled as (
    select count(*) as edges_across
    from {{ edges }}
    inner join {{ name }}_round_{{ rounds }} as this on {{ edges }}.mention_id = this.mention_id
    inner join {{ name }}_round_{{ rounds }} as other on {{ edges }}.other_id = other.mention_id
    where this.label <> other.label
),

{{ name }} as (
    select
        {{ starts }}.mention_id,
        case when {{ name }}_unsettled.edges_across = 0 then labels.label
            else cast(raise_error('{{ name }}: a component is wider than component_label_rounds ({{ rounds }}): raise it') as string)
        end as {{ component_column }}
    from {{ starts }}
    inner join {{ name }}_round_{{ rounds }} as labels on {{ starts }}.mention_id = labels.mention_id
    cross join {{ name }}_unsettled
)
{%- endmacro %}
