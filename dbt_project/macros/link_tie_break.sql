{#- Between links of equal rule and evidence, which one a loose report keeps: its own article's
    report first, then one of the very same day (a report dated by its publication day fits the
    day before too, but the same day is likelier), then one of the same outcome, and only then the
    nearer in the text (a distance that means something inside one article only). -#}
{% macro link_tie_break(relation) -%}
    case when {{ relation }}.same_document then 0 else 1 end,
    case when {{ relation }}.dates_overlap then 0 else 1 end,
    case when {{ relation }}.same_outcome then 0 else 1 end,
    {{ relation }}.char_distance
{%- endmacro %}
