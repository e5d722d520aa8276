{#- Connected components (both steps of int_mentions_linked use it): CTEs ending in `name`, which gives
    every mention of `starts` (a CTE of mention_id) its component, named `component_column` after the
    smallest id the component holds; `edges` is a CTE of mention_id, other_id listing both directions.
    The calling model's CTEs must be `with recursive`.

    Both engines propagate the smallest id: each mention takes the smallest label among itself and its
    neighbours until no label falls, so a component settles after as many rounds as its diameter, and
    a round reads only links (never the pairs of a component's members, as a reach closure does): the
    cost grows with the links times the rounds. -#}
{% macro connected_components(name, starts, edges, component_column) -%}
    {{- return(adapter.dispatch('connected_components')(name, starts, edges, component_column)) -}}
{%- endmacro %}

{#- DuckDB: one recursive CTE keyed by mention (USING KEY): a round yields the mentions whose label fell,
    which replace their earlier rows, `recurring.` reads every mention's label so far, and the
    recursion ends with the round that lowers none. A round joins only the links of the mentions that
    changed in the round before. -#}
{% macro default__connected_components(name, starts, edges, component_column) -%}
{{ name }}_labels (mention_id, label) using key (mention_id) as (
    select mention_id, mention_id
    from (select mention_id from {{ starts }} union select mention_id from {{ edges }}) as nodes
    union
    select {{ edges }}.other_id, min({{ name }}_labels.label)
    from {{ name }}_labels
    inner join {{ edges }} on {{ name }}_labels.mention_id = {{ edges }}.mention_id
    inner join recurring.{{ name }}_labels as so_far on {{ edges }}.other_id = so_far.mention_id
    where {{ name }}_labels.label < so_far.label
    group by {{ edges }}.other_id
),

{{ name }} as (
    select mention_id, label as {{ component_column }}
    from {{ name }}_labels
    where mention_id in (select mention_id from {{ starts }})
)
{%- endmacro %}

{#- Spark: its recursive CTEs take neither an aggregate nor a window over the recursive reference, and
    rounds unrolled into one statement make a plan too large to build. So the rounds run before the
    model's statement, one small table each (spark__build_connected_components, called by the pre-hook
    build_staged_tables of macros/staged_ctes.sql on the marker below), and `name` reads the settled
    labels from the table they leave. -#}
{% macro spark__connected_components(name, starts, edges, component_column) -%}
/* hasila.connected_components {{ name }} {{ starts }} {{ edges }} */
{{ name }} as (
    select mention_id, label as {{ component_column }}
    from {{ staged_relation(name) }}
    where mention_id in (select mention_id from {{ starts }})
)
{%- endmacro %}

{#- Spark, before the model's statement: `ctes` (the model's CTEs written before the marker) list the
    nodes and links, then rounds of smallest-label propagation run, each a table, until a round
    changes no label (at most as many rounds as nodes: a component's diameter is smaller than its
    size). The last round becomes staged_relation(name), which the model's statement reads. -#}
{% macro spark__build_connected_components(name, starts, edges, ctes) -%}
    {%- set links = staged_relation(name, '__links') -%}
    {%- set target = staged_relation(name) -%}
    {%- for relation in [links, target] -%}
        {%- do adapter.drop_relation(relation) -%}
    {%- endfor -%}
    {%- do run_query('create table ' ~ links ~ ' as ' ~ ctes ~ '\nselect distinct mention_id, other_id from ' ~ edges) -%}
    {%- set round_0 = staged_relation(name, '__round_0') -%}
    {%- do adapter.drop_relation(round_0) -%}
    {%- do run_query('create table ' ~ round_0 ~ ' as ' ~ ctes ~ '\nselect mention_id, mention_id as label from ('
                     ~ 'select mention_id from ' ~ starts ~ ' union select mention_id from ' ~ links ~ ') as nodes') -%}
    {%- set n_nodes = run_query('select count(*) from ' ~ round_0).columns[0].values()[0] | int -%}
    {%- set state = namespace(last=round_0, settled=false) -%}
    {%- for round in range(1, n_nodes + 1) if not state.settled -%}
        {%- set this_round = staged_relation(name, '__round_' ~ round) -%}
        {%- do adapter.drop_relation(this_round) -%}
        {%- do run_query(connected_components_round(state.last, links, this_round)) -%}
        {%- set lowered = run_query('select count(*) from ' ~ this_round ~ ' as this_round inner join ' ~ state.last
                                    ~ ' as last_round on this_round.mention_id = last_round.mention_id'
                                    ~ ' where this_round.label < last_round.label').columns[0].values()[0] -%}
        {%- do adapter.drop_relation(state.last) -%}
        {%- set state.last = this_round -%}
        {%- set state.settled = lowered == 0 -%}
    {%- endfor -%}
    {%- do adapter.rename_relation(state.last, target) -%}
    {%- do adapter.drop_relation(links) -%}
{%- endmacro %}

{#- One round: each node takes the smallest label among its own and its neighbours'. -#}
{% macro connected_components_round(last_round, links, this_round) -%}
create table {{ this_round }} as
select last_round.mention_id, least(last_round.label, coalesce(min(neighbour.label), last_round.label)) as label
from {{ last_round }} as last_round
left join {{ links }} as links on last_round.mention_id = links.mention_id
left join {{ last_round }} as neighbour on links.other_id = neighbour.mention_id
group by last_round.mention_id, last_round.label
{%- endmacro %}
