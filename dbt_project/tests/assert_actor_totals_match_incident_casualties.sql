-- The actor x month mart adds up exactly the additive incident estimates of
-- incidents dated to the day or month: nothing lost, nothing counted twice.
with from_incidents as (
    select outcome, sum(additive_best) as best
    from {{ ref('fct_incident_casualties') }}
    where event_date is not null and date_precision in ('day', 'month')
    group by outcome
),

from_actors as (
    select outcome, sum(best) as best
    from {{ ref('fct_actor_casualties') }}
    group by outcome
)

select from_incidents.outcome, from_incidents.best, from_actors.best as actor_best
from from_incidents
full outer join from_actors on from_incidents.outcome = from_actors.outcome
where coalesce(from_incidents.best, -1) <> coalesce(from_actors.best, -1)
