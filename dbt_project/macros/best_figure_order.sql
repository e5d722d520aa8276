{#- The order that picks an incident's best figure among several reports: the most trusted
    source first (seeds/source_priority.csv: SOHR first), then the latest-published report,
    then, within one report, the highest figure (an updated toll only grows); figure_id breaks
    the remaining ties so the pick is deterministic. Used by int_incident_groups_estimated
    (per victim group) and int_incident_totals_estimated (per statement total). -#}
{% macro best_figure_order(figure_col, figure_id_col) -%}
    best_priority, published_at desc nulls last, {{ figure_col }} desc, {{ figure_id_col }}
{%- endmacro %}
