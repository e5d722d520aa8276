-- ACLED-style event list: one row per incident dated to the day or month (not a likely duplicate) and
-- located at least to the governorate (ACLED codes nothing vaguer). Column
-- mappings and codes are documented in exp_acled_events.yml.
with all_incidents as (
    select * from {{ ref('fct_incidents') }}
),

incident_casualties as (
    select * from {{ ref('fct_incident_casualties') }}
),

mentions as (
    select * from {{ ref('fct_mentions') }}
),

documents as (
    select * from {{ ref('dim_documents') }}
),

actors as (
    select * from {{ ref('dim_actors') }}
),

governorates as (
    select * from {{ ref('dim_governorates') }}
),

outcomes as (
    select * from {{ ref('dim_outcomes') }}
),

incidents as (
    select * from all_incidents
    where event_date is not null and date_precision in ('day', 'month') and admin1 is not null
        -- one row per event: a recap of an event listed already is no second event
        and not is_likely_duplicate
),

-- what the incident's outcomes make of it in ACLED's terms: each outcome's role is a column of its
-- seed row (dim_outcomes.acled_role), so a new outcome is mapped there, not here
casualties as (
    select
        incident_casualties.incident_id,
        max(case
            when incident_casualties.victim = 'civilians' and outcomes.acled_role in ('violence', 'abduction')
                then 1 else 0 end) as targets_civilians,
        max(case when outcomes.acled_role = 'arrest' then 1 else 0 end) as has_arrests,
        max(case when outcomes.acled_role = 'violence' then 1 else 0 end) as has_violence,
        max(case when outcomes.acled_role = 'abduction' then 1 else 0 end) as has_abduction,
        max(case when outcomes.acled_role = 'release' then 1 else 0 end) as has_release
    from incident_casualties
    left join outcomes on incident_casualties.outcome = outcomes.outcome_code
    group by incident_casualties.incident_id
),

main_victims as (
    select incident_id, victim
    from (
        select
            incident_id,
            victim,
            row_number() over (
                partition by incident_id
                order by case when victim = 'unspecified' then 1 else 0 end, additive_best desc, victim
            ) as victim_rank
        from incident_casualties
    ) as ranked
    where victim_rank = 1
),

-- ACLED's source: the first outlet (alphabetically) among the documents of the incident's mentions
incident_outlets as (
    select
        mentions.incident_id,
        min(documents.outlet) as first_outlet
    from mentions
    inner join documents on mentions.content_hash = documents.content_hash
    where mentions.incident_id is not null
    group by mentions.incident_id
)

select
    {{ dbt.concat(["'SYR'", 'incidents.incident_id']) }} as event_id_cnty,
    incidents.event_date,
    cast(extract(year from incidents.event_date) as integer) as year,
    -- a day taken from the publication date of a report that names none is ACLED's "within a few days" (2)
    cast(case
        when incidents.date_precision = 'day' and incidents.date_basis = 'published' then 2
        when incidents.date_precision = 'day' then 1
        else 3
    end as integer) as time_precision,
    case
        when casualties.has_release = 1 or (casualties.has_arrests = 1 and casualties.has_violence = 0)
            then 'Strategic developments'
        when casualties.targets_civilians = 1 and incidents.perpetrator is not null
            then 'Violence against civilians'
        else 'Battles'
    end as event_type,
    case
        when casualties.has_release = 1 then 'Other'
        when casualties.has_arrests = 1 and casualties.has_violence = 0 then 'Arrests'
        when casualties.has_abduction = 1 and casualties.has_violence = 0 then 'Abduction/forced disappearance'
        when casualties.targets_civilians = 1 and incidents.perpetrator is not null then 'Attack'
        else 'Armed clash'
    end as sub_event_type,
    perpetrators.label_en as actor1,
    victims.label_en as actor2,
    'Syria' as country,
    cast(760 as integer) as iso,
    governorates.name_en as admin1,
    coalesce(incidents.place_name_en, incidents.place, governorates.name_en) as location,
    incidents.latitude,
    incidents.longitude,
    cast(case
        when incidents.geo_precision = 'place' and incidents.place_feature_type in ('city', 'town', 'village') then 1
        when incidents.geo_precision = 'place' then 2
        else 3
    end as integer) as geo_precision,
    incident_outlets.first_outlet as source,
    incidents.killed_best as fatalities,
    cast(case when casualties.targets_civilians = 1 then 1 else 0 end as integer) as civilian_targeting,
    incidents.incident_id as hasila_incident_id
from incidents
left join casualties on incidents.incident_id = casualties.incident_id
left join main_victims on incidents.incident_id = main_victims.incident_id
left join actors as perpetrators on incidents.perpetrator = perpetrators.actor_code
left join actors as victims on main_victims.victim = victims.actor_code
left join governorates on incidents.admin1 = governorates.admin1
left join incident_outlets on incidents.incident_id = incident_outlets.incident_id
