-- One row per reported tally of regime and allied forces (regime, iran_backed, russia;
-- dim_actors.is_regime_allied) killed since {{ var('regime_losses_since') }} (SOHR's series;
-- its source is shown, as articles quoting SOHR do not always say so), beside the sum of
-- incident estimates from that day up to the tally's as-of date. The incidents-only sums
-- per group are rpt_regime_losses_by_group_since_2019.
with allied_actors as (
    select * from {{ ref('dim_actors') }}
),

reported_tallies as (
    select * from {{ ref('fct_reported_tallies') }}
),

incident_casualties as (
    select * from {{ ref('fct_incident_casualties') }}
),

allied as (
    select actor_code, label_en from allied_actors where is_regime_allied
),

tallies as (
    select *
    from reported_tallies
    where outcome = 'killed'
        and not is_subset
        and period_start = cast('{{ var("regime_losses_since") }}' as date)
),

killed as (
    select * from incident_casualties
    where {{ regime_loss_incident_filter() }}
),

tally_sums as (
    select
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
)

select
    tally_sums.victim,
    allied.label_en as victim_label_en,
    cast('{{ var("regime_losses_since") }}' as date) as period_start,
    tally_sums.as_of_date,
    tally_sums.tally_id,
    tally_sums.doc_id,
    tally_sums.tally_source,
    cast(tally_sums.tally_value as integer) as tally_value,
    tally_sums.tally_qualifier,
    cast(tally_sums.incident_killed_best as integer) as incident_killed_best,
    cast(tally_sums.incident_killed_low as integer) as incident_killed_low,
    cast(tally_sums.incident_killed_high as integer) as incident_killed_high,
    cast(tally_sums.n_incidents as integer) as n_incidents,
    cast(tally_sums.tally_value - tally_sums.incident_killed_best as integer) as tally_minus_incidents
from tally_sums
inner join allied on tally_sums.victim = allied.actor_code
