{#- Which incident estimates the regime-losses reports sum (rpt_regime_loss_tallies_since_2019,
    rpt_regime_losses_by_group_since_2019): killed, from var regime_losses_since on, dated to the
    day or month (a date known only to the year cannot be set against a tally's as-of date). `killed`
    is the reports' subject, as their incident_killed_* columns say, not an outcome mapping (those are
    columns of seeds/outcomes.csv, as the ACLED export's acled_role). -#}
{% macro regime_loss_incident_filter() -%}
    outcome = 'killed'
    and event_date >= cast('{{ var("regime_losses_since") }}' as date)
    and date_precision in ('day', 'month')
{%- endmacro %}
