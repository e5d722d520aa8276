-- One row per resolved incident with the attributes its mentions agree on:
-- the date reported by most of its finest-dated mentions (a firm date before a
-- publication-day one, never after the first report, earliest on a tie) and how the
-- best of them found it (date_basis: stated > relative > context > published), the
-- most specific place, the governorate and perpetrator named most often, and
-- coverage counts. has_conflict marks incidents whose mentions disagree on
-- governorate or perpetrator (possible only through chains of links).
with links as (
    select * from {{ ref('int_mentions_linked') }}
),

mentions as (
    select
        *,
        case date_precision when 'day' then 1 when 'month' then 2 when 'year' then 3 else 4 end as precision_rank,
        -- how firmly the date was found; a publication day ('published') is the softest
        case date_basis
            when 'stated' then 1 when 'relative' then 2 when 'context' then 3 when 'published' then 5 else 4
        end as basis_rank
    from {{ ref('int_mentions_enriched') }}
),

members as (
    select links.incident_id, links.is_subset, links.is_recap_item, mentions.*
    from links
    inner join mentions on links.mention_id = mentions.mention_id
),

finest_precision as (
    select incident_id, min(precision_rank) as precision_rank, min(published_at) as first_published_at
    from members
    group by incident_id
),

event_dates as (
    select incident_id, event_date, date_precision, basis_rank
    from (
        select
            members.incident_id,
            members.event_date,
            members.date_precision,
            min(members.basis_rank) as basis_rank,
            row_number() over (
                partition by members.incident_id
                order by
                    -- an event cannot follow the first report of it (a +-1 day link can offer such a date)
                    case when members.event_date > min(finest_precision.first_published_at) then 1 else 0 end,
                    case when min(members.basis_rank) = 5 then 1 else 0 end,
                    count(*) desc,
                    members.event_date
            ) as date_rank
        from members
        inner join finest_precision
            on members.incident_id = finest_precision.incident_id
            and members.precision_rank = finest_precision.precision_rank
        group by members.incident_id, members.event_date, members.date_precision
    ) as dated
    where date_rank = 1
),

place_votes as (
    select
        incident_id,
        place_id,
        coalesce(place_gazetteer_name_ar, place_name_ar) as place,
        place_name_en,
        place_feature_type,
        place_feature_rank,
        geo_precision,
        latitude,
        longitude,
        count(*) as n_votes,
        min(published_at) as first_published_at,
        min(char_start) as first_char_start
    from members
    where place_name_ar is not null or admin1 is not null
    group by
        incident_id, place_id, coalesce(place_gazetteer_name_ar, place_name_ar), place_name_en,
        place_feature_type, place_feature_rank, geo_precision, latitude, longitude
),

places as (
    select *
    from (
        select
            place_votes.*,
            row_number() over (
                partition by incident_id
                order by
                    case geo_precision when 'place' then 1 when 'admin1' then 2 else 3 end,
                    coalesce(place_feature_rank, 9),
                    n_votes desc,
                    -- the place named first (the event's, not the hospital's or the source's)
                    first_published_at,
                    first_char_start,
                    place_id,
                    place,
                    -- the rest of the vote's key, so that no two votes tie (a tie picked either on a run)
                    place_name_en,
                    place_feature_type,
                    latitude,
                    longitude
            ) as place_rank
        from place_votes
    ) as ranked_places
    where place_rank = 1
),

admin1s as (
    {{ most_common_per_group('members', 'incident_id', 'admin1') }}
),

perpetrators as (
    {{ most_common_per_group('members', 'incident_id', 'perpetrator') }}
),

coverage as (
    select
        incident_id,
        count(*) as n_mentions,
        count(distinct content_hash) as n_documents,
        -- unattributed figures count as their outlet's (or article's) own reporting
        count(distinct case when is_attributed then source else {{ dbt.concat(["'doc:'", 'content_hash']) }} end) as n_sources,
        count(distinct case when is_attributed then source end) as n_attributed_sources,
        count(distinct admin1) as n_admin1,
        -- two perpetrators that are each other's victims are the two sides of one clash
        count(distinct case
            when perpetrator not in (select victim from members as m2 where m2.incident_id = members.incident_id)
                then perpetrator
        end) as n_perpetrators,
        min(published_at) as first_published_at,
        max(published_at) as last_published_at,
        -- every member a recap item: known here only from reports that tell of a later day
        min(case when is_recap_item then 1 else 0 end) = 1 as is_recalled_only
    from members
    group by incident_id
)

select
    coverage.incident_id,
    event_dates.event_date,
    coalesce(event_dates.date_precision, 'unknown') as date_precision,
    case event_dates.basis_rank
        when 1 then 'stated' when 2 then 'relative' when 3 then 'context' when 5 then 'published'
    end as date_basis,
    places.place_id,
    places.place,
    places.place_name_en,
    places.place_feature_type,
    admin1s.admin1,
    places.latitude,
    places.longitude,
    coalesce(places.geo_precision, 'none') as geo_precision,
    perpetrators.perpetrator,
    coverage.n_mentions,
    coverage.n_documents,
    coverage.n_sources,
    coverage.n_attributed_sources,
    coverage.first_published_at,
    coverage.last_published_at,
    coverage.n_admin1 > 1 or coverage.n_perpetrators > 1 as has_conflict,
    coverage.is_recalled_only
from coverage
left join event_dates on coverage.incident_id = event_dates.incident_id
left join places on coverage.incident_id = places.incident_id
left join admin1s on coverage.incident_id = admin1s.incident_id
left join perpetrators on coverage.incident_id = perpetrators.incident_id
