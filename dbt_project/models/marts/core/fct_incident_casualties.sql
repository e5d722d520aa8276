-- Estimates per incident x outcome x victim group (UCDP style best / low / high).
-- Sum additive_best (not best) across groups: an 'unspecified' total its parts add
-- up to carries additive_best = 0.
with estimates as (
    select * from {{ ref('int_incident_groups_estimated') }}
),

incidents as (
    select * from {{ ref('int_incidents_resolved') }}
)

select
    estimates.incident_id,
    estimates.outcome,
    estimates.victim,
    cast(estimates.best as integer) as best,
    cast(estimates.low as integer) as low,
    cast(estimates.high as integer) as high,
    estimates.best_rule,
    estimates.range_rule,
    estimates.best_mention_id,
    estimates.best_source,
    estimates.best_count_qualifier,
    estimates.overlap_rule,
    cast(estimates.additive_best as integer) as additive_best,
    cast(estimates.additive_low as integer) as additive_low,
    cast(estimates.additive_high as integer) as additive_high,
    cast(estimates.n_figures as integer) as n_figures,
    cast(estimates.n_documents as integer) as n_documents,
    cast(estimates.n_sources as integer) as n_sources,
    incidents.event_date,
    incidents.date_precision,
    incidents.admin1
from estimates
inner join incidents on estimates.incident_id = incidents.incident_id
