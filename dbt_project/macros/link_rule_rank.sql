{#- How strong a direct link rule is (1 strongest), to pick the link that explains an
    anchor's membership and a loose anchor's one link. -#}
{% macro link_rule_rank(rule_col) -%}
    case {{ rule_col }}
        when 'same_statement' then 1
        when 'same_day_same_place' then 2
        when 'parts_sum_to_total' then 3
        when 'restated_figure' then 4
        when 'restated_killed_and_injured' then 4
        when 'same_day_same_perpetrator_same_article' then 5
        when 'same_day_same_admin1' then 6
        when 'same_day_same_article' then 7
        when 'published_date_same_area' then 8
        when 'published_date_same_article' then 9
        when 'published_date_restated_same_perpetrator' then 9
        when 'same_place_single_victim_a_day_apart' then 10
        -- a killed and an injured figure joined by the force alone: the weakest, a fallback
        when 'same_day_same_admin1_same_perpetrator' then 10
        -- two compatible components merged through one of the links above (int_mentions_linked)
        when 'one_event_compatible_reports' then 11
        else 12
    end
{%- endmacro %}
