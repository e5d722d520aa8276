-- Casualties suffered by each actor group per month and outcome: the sum over
-- incidents of the group's additive estimates (so an 'unspecified' total that its
-- parts add up to is not counted twice). Incidents dated only to the year, or not
-- at all, have no month and are left out (they remain in fct_incident_casualties).
with casualties as (
    select * from {{ ref('fct_incident_casualties') }}
),

actors as (
    select * from {{ ref('dim_actors') }}
)

select
    casualties.victim as actor_code,
    actors.label_en as actor_label_en,
    cast({{ dbt.date_trunc('month', 'casualties.event_date') }} as date) as month_start,
    casualties.outcome,
    cast(sum(casualties.additive_best) as integer) as best,
    cast(sum(casualties.additive_low) as integer) as low,
    cast(sum(casualties.additive_high) as integer) as high,
    cast(count(distinct casualties.incident_id) as integer) as n_incidents
from casualties
inner join actors on casualties.victim = actors.actor_code
where casualties.event_date is not null
    and casualties.date_precision in ('day', 'month')
group by
    casualties.victim,
    actors.label_en,
    cast({{ dbt.date_trunc('month', 'casualties.event_date') }} as date),
    casualties.outcome
