{#
    The most frequent non-null value of `column` per `group_by` in `relation`, ties broken by the
    value itself so the choice is stable from run to run. Returns a select of (group_by, column).
#}
{% macro most_common_per_group(relation, group_by, column) %}
    select {{ group_by }}, {{ column }}
    from (
        select
            {{ group_by }},
            {{ column }},
            row_number() over (partition by {{ group_by }} order by count(*) desc, {{ column }}) as value_rank
        from {{ relation }}
        where {{ column }} is not null
        group by {{ group_by }}, {{ column }}
    ) as ranked
    where value_rank = 1
{% endmacro %}
