-- One row per regime-allied group (regime, iran_backed, russia; dim_actors.is_regime_allied):
-- the sum of its incident estimates of killed from {{ var('regime_losses_since') }} to date.
-- Each reported tally beside the incident sum up to its own date is
-- rpt_regime_loss_tallies_since_2019.
with allied_actors as (
    select * from {{ ref('dim_actors') }}
),

incident_casualties as (
    select * from {{ ref('fct_incident_casualties') }}
),

allied as (
    select actor_code, label_en from allied_actors where is_regime_allied
),

killed as (
    select * from incident_casualties
    where {{ regime_loss_incident_filter() }}
)

select
    allied.actor_code as victim,
    allied.label_en as victim_label_en,
    cast('{{ var("regime_losses_since") }}' as date) as period_start,
    max(killed.event_date) as as_of_date,
    cast(coalesce(sum(killed.additive_best), 0) as integer) as incident_killed_best,
    cast(coalesce(sum(killed.additive_low), 0) as integer) as incident_killed_low,
    cast(coalesce(sum(killed.additive_high), 0) as integer) as incident_killed_high,
    cast(count(distinct killed.incident_id) as integer) as n_incidents
from allied
left join killed on killed.victim = allied.actor_code
group by allied.actor_code, allied.label_en
