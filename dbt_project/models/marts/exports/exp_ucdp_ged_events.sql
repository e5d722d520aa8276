-- UCDP GED-style events: one row per incident with at least one death. Deaths are
-- split as GED does (side a = perpetrator, side b = the other armed groups,
-- civilians, unknown) from the additive group estimates. Codes documented in
-- exp_ucdp_ged_events.yml.
with all_incidents as (
    select * from {{ ref('fct_incidents') }}
),

incident_casualties as (
    select * from {{ ref('fct_incident_casualties') }}
),

actors as (
    select * from {{ ref('dim_actors') }}
),

governorates as (
    select * from {{ ref('dim_governorates') }}
),

incidents as (
    select * from all_incidents
    where killed_best > 0
        -- one row per event: a recap of an event listed already is no second event
        and not is_likely_duplicate
),

-- GED counts deaths, which are one outcome, `killed`: the same one whose estimates are the
-- killed_best/low/high columns of fct_incidents (best, high, low below), so it is named here as the
-- headline columns name it, not mapped by a seed column as ACLED's several event types are.
killed as (
    select * from incident_casualties
    where outcome = 'killed'
),

deaths as (
    select
        killed.incident_id,
        sum(case when killed.victim = incidents.perpetrator then killed.additive_best else 0 end) as deaths_a,
        sum(case
            when killed.victim not in ('civilians', 'unspecified')
                and (incidents.perpetrator is null or killed.victim <> incidents.perpetrator)
                then killed.additive_best else 0 end) as deaths_b,
        sum(case when killed.victim = 'civilians' then killed.additive_best else 0 end) as deaths_civilians,
        sum(case when killed.victim = 'unspecified' then killed.additive_best else 0 end) as deaths_unknown,
        max(case
            when killed.victim not in ('civilians', 'unspecified')
                and (incidents.perpetrator is null or killed.victim <> incidents.perpetrator)
                then killed.victim end) as side_b_code,
        max(case when killed.victim in ('civilians', 'unspecified') then 0 else 1 end) as armed_victims
    from killed
    inner join incidents on killed.incident_id = incidents.incident_id
    group by killed.incident_id
)

select
    incidents.incident_id as id,
    cast(extract(year from coalesce(incidents.event_date, incidents.first_published_at)) as integer) as year,
    cast(case
        when deaths.armed_victims = 0 and incidents.perpetrator is not null then 3
        when side_a.is_state_actor or side_b.is_state_actor then 1
        else 2
    end as integer) as type_of_violence,
    coalesce(side_a.label_en, 'Unknown') as side_a,
    case
        when deaths.armed_victims = 0 then 'Civilians'
        else coalesce(side_b.label_en, 'Unknown')
    end as side_b,
    'Syria' as country,
    cast(652 as integer) as country_id,
    governorates.name_en as adm_1,
    coalesce(incidents.place_name_en, incidents.place) as where_coordinates,
    cast(case
        when incidents.geo_precision = 'place' and incidents.place_feature_type in ('city', 'town', 'village') then 1
        when incidents.geo_precision = 'place' and incidents.place_feature_type in ('district', 'subdistrict') then 3
        when incidents.geo_precision = 'place' then 5
        when incidents.geo_precision = 'admin1' then 4
        else 6
    end as integer) as where_prec,
    incidents.latitude,
    incidents.longitude,
    -- a publication-day date: the event happened that day or the day before (date_prec 2, a range)
    case
        when incidents.date_precision = 'day' and incidents.date_basis = 'published'
            then cast({{ dbt.dateadd('day', -1, 'incidents.event_date') }} as date)
        else incidents.event_date
    end as date_start,
    case incidents.date_precision
        when 'day' then incidents.event_date
        when 'month' then cast({{ dbt.last_day('incidents.event_date', 'month') }} as date)
        when 'year' then cast({{ dbt.last_day('incidents.event_date', 'year') }} as date)
    end as date_end,
    cast(case
        when incidents.date_precision = 'day' and incidents.date_basis = 'published' then 2
        when incidents.date_precision = 'day' then 1
        when incidents.date_precision = 'month' then 4
        else 5
    end as integer) as date_prec,
    cast(deaths.deaths_a as integer) as deaths_a,
    cast(deaths.deaths_b as integer) as deaths_b,
    cast(deaths.deaths_civilians as integer) as deaths_civilians,
    cast(deaths.deaths_unknown as integer) as deaths_unknown,
    incidents.killed_best as best,
    incidents.killed_high as high,
    incidents.killed_low as low,
    incidents.n_sources as number_of_sources
from incidents
inner join deaths on incidents.incident_id = deaths.incident_id
left join actors as side_a on incidents.perpetrator = side_a.actor_code
left join actors as side_b on deaths.side_b_code = side_b.actor_code
left join governorates on incidents.admin1 = governorates.admin1
