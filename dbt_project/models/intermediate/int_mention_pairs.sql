-- Every pair of usable incident mentions that could describe the same event, with
-- the evidence for and against it. Pairs are only formed inside one document or
-- between mentions whose date windows come within a day of each other, so the
-- table stays small. Each pair appears once (mention_a < mention_b).
with mentions as (
    select *
    from {{ ref('int_mentions_enriched') }}
    where mention_scope = 'incident' and rejection_reason is null
),

pairs as (
    select
        a.mention_id as mention_a,
        b.mention_id as mention_b,
        a.content_hash = b.content_hash as same_document,
        a.statement_id = b.statement_id as same_statement,
        a.date_window_start is not null and b.date_window_start is not null as both_dated,
        coalesce(
            a.date_window_start <= b.date_window_end and b.date_window_start <= a.date_window_end,
            false
        ) as dates_overlap,
        coalesce(
            a.date_window_start <= {{ dbt.dateadd('day', 1, 'b.date_window_end') }}
            and b.date_window_start <= {{ dbt.dateadd('day', 1, 'a.date_window_end') }},
            false
        ) as dates_within_a_day,
        -- releases are events of their own (the day captives are freed), never part of an attack
        (a.outcome = 'released') = (b.outcome = 'released') as outcomes_compatible,
        -- comparisons with an unknown side are false, never null
        coalesce(a.place_id = b.place_id, false) as same_place,
        coalesce(a.admin1 = b.admin1, false) as same_admin1,
        coalesce(a.admin1 <> b.admin1, false) as admin1_conflict,
        coalesce(
            a.geo_precision = 'place' and b.geo_precision = 'place'
            and {{ haversine_km('a.latitude', 'a.longitude', 'b.latitude', 'b.longitude') }}
                > {{ var('max_incident_spread_km') }},
            false
        ) as places_too_far,
        coalesce(a.perpetrator = b.perpetrator, false) as same_perpetrator,
        -- different perpetrators conflict unless each side is the other's victim (a clash, a raid)
        coalesce(
            a.perpetrator <> b.perpetrator and a.perpetrator <> b.victim and b.perpetrator <> a.victim,
            false
        ) as perpetrator_conflict,
        -- a statement's named groups add up to the other's 'unspecified' toll (61 + 7 = 68)
        coalesce(
            a.outcome = b.outcome and a.statement_id <> b.statement_id and (
                (b.victim = 'unspecified' and a.victim <> 'unspecified'
                    and a.statement_group_sum = b.reported_count and a.statement_group_sum > a.reported_count)
                or (a.victim = 'unspecified' and b.victim <> 'unspecified'
                    and b.statement_group_sum = a.reported_count and b.statement_group_sum > b.reported_count)
            ),
            false
        ) as parts_sum_to_total,
        -- the same non-trivial figure for the same group and outcome: a restatement
        a.outcome = b.outcome and a.victim = b.victim and a.reported_count = b.reported_count
            and a.reported_count >= 2 as same_figure,
        abs(a.char_start - b.char_start) as char_distance
    from mentions as a
    inner join mentions as b
        on a.mention_id < b.mention_id
        and (
            a.content_hash = b.content_hash
            or (
                a.date_window_start <= {{ dbt.dateadd('day', 1, 'b.date_window_end') }}
                and b.date_window_start <= {{ dbt.dateadd('day', 1, 'a.date_window_end') }}
            )
        )
),

scored as (
    select
        pairs.*,
        not outcomes_compatible
            or admin1_conflict
            or places_too_far
            or perpetrator_conflict
            or (both_dated and not dates_within_a_day)
            or (both_dated and not dates_overlap and not same_figure) as is_conflict,
        -- evidence that the two describe one event, used to rank candidates; the same figure for the
        -- same group restated outweighs a shared place (a place can be a hospital's, not the attack's)
        3 * cast(same_statement as integer)
            + 3 * cast(same_figure as integer)
            + 2 * cast(parts_sum_to_total as integer)
            + 2 * cast(same_place as integer)
            + cast(same_admin1 as integer)
            + cast(same_perpetrator as integer) as evidence_score
    from pairs
)

select
    scored.*,
    -- the rule that links two day-dated mentions directly (null: no direct link)
    case
        when is_conflict or not both_dated then null
        when same_statement and dates_overlap then 'same_statement'
        when dates_overlap and (same_place or same_admin1) then 'same_day_same_area'
        when dates_overlap and same_perpetrator and same_document then 'same_day_same_perpetrator_same_article'
        when dates_overlap and parts_sum_to_total then 'parts_sum_to_total'
        when same_figure then 'restated_figure'
    end as direct_link_rule
from scored
