{#
  A recap item: an incident mention dated to a day var recap_item_min_days or more before the latest
  day its own report (content_hash) tells of: an article on today's strike recalling the month's earlier
  ones. One definition for the linker (int_mention_pairs_scored: a recap item never pairs with another
  report unless a figure links on its own) and the marts (fct_incidents.is_recalled_only). The window
  runs over the rows of the query it is used in: use it where those are the usable incident mentions.
#}
{% macro is_recap_item(event_date, date_precision, content_hash) -%}
coalesce(
    {{ date_precision }} = 'day' and {{ event_date }} is not null
    and {{ dbt.datediff(
        event_date,
        "max(case when " ~ date_precision ~ " = 'day' then " ~ event_date ~ " end) over (partition by " ~ content_hash ~ ")",
        'day'
    ) }} >= {{ var('recap_item_min_days') }},
    false
)
{%- endmacro %}
