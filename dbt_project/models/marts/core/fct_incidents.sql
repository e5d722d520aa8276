-- One row per resolved incident, with headline killed / injured estimates.
with incidents as (
    select * from {{ ref('int_incidents_resolved') }}
),

totals as (
    select * from {{ ref('int_incident_totals_estimated') }}
),

-- recalled-only incidents with a reported one at the same place within a day: the recap most likely
-- tells of that event again (a recap item pairs with another report only by a figure that links on
-- its own: int_mention_pairs_scored.recap_across_reports), so sums and exports leave them out
likely_duplicates as (
    select recalled.incident_id
    from incidents as recalled
    inner join incidents as reported
        on recalled.place_id = reported.place_id
        and recalled.incident_id <> reported.incident_id
    where recalled.is_recalled_only
        and not reported.is_recalled_only
        and reported.date_precision = 'day'
        and {{ dbt.datediff('reported.event_date', 'recalled.event_date', 'day') }} between -1 and 1
    group by recalled.incident_id
)

select
    incidents.incident_id,
    incidents.event_date,
    incidents.date_precision,
    incidents.date_basis,
    incidents.place_id,
    incidents.place,
    incidents.place_name_en,
    incidents.place_feature_type,
    incidents.admin1,
    incidents.latitude,
    incidents.longitude,
    incidents.geo_precision,
    incidents.perpetrator,
    cast(incidents.n_mentions as integer) as n_mentions,
    cast(incidents.n_documents as integer) as n_documents,
    cast(incidents.n_sources as integer) as n_sources,
    cast(incidents.n_attributed_sources as integer) as n_attributed_sources,
    cast(coalesce(killed.best, 0) as integer) as killed_best,
    cast(coalesce(killed.low, 0) as integer) as killed_low,
    cast(coalesce(killed.high, 0) as integer) as killed_high,
    cast(coalesce(injured.best, 0) as integer) as injured_best,
    cast(coalesce(injured.low, 0) as integer) as injured_low,
    cast(coalesce(injured.high, 0) as integer) as injured_high,
    incidents.first_published_at,
    incidents.last_published_at,
    incidents.has_conflict,
    incidents.is_recalled_only,
    likely_duplicates.incident_id is not null as is_likely_duplicate
from incidents
left join likely_duplicates on incidents.incident_id = likely_duplicates.incident_id
left join totals as killed
    on incidents.incident_id = killed.incident_id and killed.outcome = 'killed'
left join totals as injured
    on incidents.incident_id = injured.incident_id and injured.outcome = 'injured'
