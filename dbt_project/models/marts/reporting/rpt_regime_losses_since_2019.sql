-- Regime and allied forces (regime, iran_backed, russia; dim_actors.is_regime_allied)
-- killed since {{ var('regime_losses_since') }}: each reported tally counting from that day
-- (SOHR's series; its source is shown, as articles quoting SOHR do not always say so),
-- beside the sum of incident estimates from that day up to the tally's as-of date;
-- plus one 'incidents_only' row per group summing all incidents to date.
with allied as (
    select actor_code, label_en from {{ ref('dim_actors') }} where is_regime_allied
),

tallies as (
    select *
    from {{ ref('fct_reported_tallies') }}
    where outcome = 'killed'
        and not is_subset
        and period_start = cast('{{ var("regime_losses_since") }}' as date)
),

killed as (
    select *
    from {{ ref('fct_incident_casualties') }}
    where outcome = 'killed'
        and event_date >= cast('{{ var("regime_losses_since") }}' as date)
        and date_precision in ('day', 'month')
),

tally_rows as (
    select
        'reported_tally' as row_kind,
        tallies.victim,
        tallies.as_of_date,
        tallies.tally_id,
        tallies.doc_id,
        tallies.source as tally_source,
        tallies.value as tally_value,
        tallies.count_qualifier as tally_qualifier,
        coalesce(sum(killed.additive_best), 0) as incident_killed_best,
        coalesce(sum(killed.additive_low), 0) as incident_killed_low,
        coalesce(sum(killed.additive_high), 0) as incident_killed_high,
        count(distinct killed.incident_id) as n_incidents
    from tallies
    inner join allied on tallies.victim = allied.actor_code
    left join killed
        on killed.victim = tallies.victim
        and killed.event_date <= tallies.as_of_date
    group by
        tallies.victim, tallies.as_of_date, tallies.tally_id, tallies.doc_id, tallies.source,
        tallies.value, tallies.count_qualifier
),

incident_rows as (
    select
        'incidents_only' as row_kind,
        allied.actor_code as victim,
        max(killed.event_date) as as_of_date,
        cast(null as varchar) as tally_id,
        cast(null as varchar) as doc_id,
        cast(null as varchar) as tally_source,
        cast(null as integer) as tally_value,
        cast(null as varchar) as tally_qualifier,
        coalesce(sum(killed.additive_best), 0) as incident_killed_best,
        coalesce(sum(killed.additive_low), 0) as incident_killed_low,
        coalesce(sum(killed.additive_high), 0) as incident_killed_high,
        count(distinct killed.incident_id) as n_incidents
    from allied
    left join killed on killed.victim = allied.actor_code
    group by allied.actor_code
),

unioned as (
    select * from tally_rows
    union all
    select * from incident_rows
)

select
    unioned.row_kind,
    unioned.victim,
    allied.label_en as victim_label_en,
    cast('{{ var("regime_losses_since") }}' as date) as period_start,
    unioned.as_of_date,
    unioned.tally_id,
    unioned.doc_id,
    unioned.tally_source,
    cast(unioned.tally_value as integer) as tally_value,
    unioned.tally_qualifier,
    cast(unioned.incident_killed_best as integer) as incident_killed_best,
    cast(unioned.incident_killed_low as integer) as incident_killed_low,
    cast(unioned.incident_killed_high as integer) as incident_killed_high,
    cast(unioned.n_incidents as integer) as n_incidents,
    cast(unioned.tally_value - unioned.incident_killed_best as integer) as tally_minus_incidents
from unioned
inner join allied on unioned.victim = allied.actor_code
