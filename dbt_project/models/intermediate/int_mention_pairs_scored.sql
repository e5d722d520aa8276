-- Every pair of usable incident mentions that could describe the same event, with
-- the evidence for and against it. Pairs are only formed inside one document or
-- between mentions whose date windows come within a day of each other, so the
-- table stays small. Each pair appears once (mention_a < mention_b).
--
-- Candidates come from equi-joins, never from a comparison of every mention with
-- every other: the same document (content_hash), or a shared day between one
-- mention's date window and the other's window widened by a day on each side
-- (intervals [a.start, a.end] and [b.start - 1, b.end + 1] share a day exactly when
-- the two windows come within a day of each other) in the same governorate, or with
-- a loose side (no governorate, or not dated to the day) on that day.
--
-- Only rows int_mentions_linked reads are kept (see kept_pairs): two reports dated to
-- the day in different governorates are never a candidate, and the table grows linearly
-- in the corpus.
--
-- Incremental: a pair depends only on the rows of its two mentions' documents (macro
-- document_states), and each pair row carries the state of both. A refresh deletes the rows whose
-- documents changed or went (pre-hook), then scores only the candidates with a side among the
-- mentions whose document has no row left (new, changed, or without a kept pair): one side's days
-- against every mention's, so the cost follows the new mentions. The rows it keeps are the ones a
-- full build would give, both sides' documents being as they were. The pre-hook computes the current
-- states once (a CTE both sides read) for its two tests. On Spark it is a table (dbt-spark's incremental
-- strategies need Delta or Iceberg tables), rebuilt whole at every build: no state is ever read back, so
-- none is computed there (a digest of every usable mention's row) and the two state columns are null.
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{% if is_incremental() %}with current_states as ({{ document_states(ref('int_mentions_enriched')) }})
        delete from {{ this }} where document_state_a not in (select document_state from current_states)
        or document_state_b not in (select document_state from current_states){% endif %}"
) }}

with actor_groups as (
    select * from {{ ref('actor_groups') }}
),

{% if target.type == 'duckdb' -%}
document_states as (
    {{ document_states(ref('int_mentions_enriched')) }}
),
{%- endif %}

mentions as (
    select
        enriched.*,
        {% if target.type == 'duckdb' -%}
        document_states.document_state,
        {%- else -%}
        cast(null as {{ dbt.type_string() }}) as document_state,
        {%- endif %}
        -- a date taken from the publication day of a report that names none is softer:
        -- the event may be the day before
        coalesce(enriched.date_basis = 'published', false) as is_soft_date,
        -- pinned to a spot: a settlement or site, not a region ("Jabal al-Zawiya"; var area_feature_types)
        enriched.geo_precision = 'place' and enriched.place_id is not null
            and coalesce(enriched.place_feature_type not in ('{{ var("area_feature_types") | join("', '") }}'), true)
            as is_placed,
        -- placed in a region (var area_feature_types): it holds villages, so it names none of them
        coalesce(
            enriched.geo_precision = 'place' and enriched.place_id is not null
            and enriched.place_feature_type in ('{{ var("area_feature_types") | join("', '") }}'),
            false
        ) as is_area,
        coalesce(perpetrators.regime_allied, false) as perpetrator_regime_allied,
        -- dated to the day: an anchor of int_mentions_linked
        coalesce(enriched.date_precision = 'day' and enriched.event_date is not null, false) as is_anchor,
        -- recalled: dated var recap_item_min_days or more before its report's latest day (macros/recap_item.sql)
        {{ is_recap_item('enriched.event_date', 'enriched.date_precision', 'enriched.content_hash') }} as is_recap_item,
        -- the statement's killed and injured figures for this mention's victim group, told together
        max(case when enriched.outcome = 'killed' then enriched.reported_count end)
            over (partition by enriched.statement_id, enriched.victim) as statement_killed,
        max(case when enriched.outcome = 'injured' then enriched.reported_count end)
            over (partition by enriched.statement_id, enriched.victim) as statement_injured
    from {{ ref('int_mentions_enriched') }} as enriched
    left join actor_groups as perpetrators on enriched.perpetrator = perpetrators.code
    {% if target.type == 'duckdb' -%}
    inner join document_states on enriched.content_hash = document_states.content_hash
    {%- endif %}
    where enriched.mention_scope = 'incident' and enriched.rejection_reason is null
),

-- the mentions whose pairs are scored: all of them, or on a refresh those of the documents with no
-- row left in this table after the pre-hook (new or changed documents, or ones with no kept pair)
scored_mentions as (
    select mention_id, content_hash from mentions
    {% if is_incremental() %}
    where document_state not in (
        select document_state_a from {{ this }}
        union
        select document_state_b from {{ this }}
    )
    {% endif %}
),

digits as (
    {% for digit in range(10) -%}
    select {{ digit }} as digit{% if not loop.last %} union all{% endif %}
    {% endfor %}
),

-- 0 .. 999 days: more than the longest window (a year-precise date, widened by two days)
day_offsets as (
    select ones.digit + 10 * tens.digit + 100 * hundreds.digit as day_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
),

window_days as (
    select
        mentions.mention_id,
        {%- if is_incremental() %}
        mentions.mention_id in (select mention_id from scored_mentions) as is_scored,
        {%- endif %}
        mentions.admin1,
        mentions.admin1 is null or not mentions.is_anchor as is_loose,
        {{ dbt.dateadd('day', 'day_offsets.day_offset', 'mentions.date_window_start') }} as window_day
    from mentions
    inner join day_offsets
        on day_offsets.day_offset
            <= {{ dbt.datediff('mentions.date_window_start', 'mentions.date_window_end', 'day') }}
    where mentions.date_window_start is not null
),

widened_days as (
    select
        mentions.mention_id,
        {%- if is_incremental() %}
        mentions.mention_id in (select mention_id from scored_mentions) as is_scored,
        {%- endif %}
        mentions.admin1,
        mentions.admin1 is null or not mentions.is_anchor as is_loose,
        {{ dbt.dateadd('day', 'day_offsets.day_offset - 1', 'mentions.date_window_start') }} as window_day
    from mentions
    inner join day_offsets
        on day_offsets.day_offset
            <= {{ dbt.datediff('mentions.date_window_start', 'mentions.date_window_end', 'day') }} + 2
    where mentions.date_window_start is not null
),

candidates as (
    -- a document's mentions are scored together (one state per document)
    select a.mention_id as mention_a, b.mention_id as mention_b
    from scored_mentions as a
    inner join mentions as b
        on a.content_hash = b.content_hash
        and a.mention_id < b.mention_id
    -- a's window against b's widened window, in either order of the two ids: in one governorate, or
    -- with a loose side whatever the other's governorate (a coarse-dated report's conflicts with an
    -- incident's members keep it out of that incident)
    {%- for pairing in ['a.admin1 = b.admin1', 'a.is_loose', 'b.is_loose'] %}
    {%- for scored_side in (['a.is_scored', 'b.is_scored'] if is_incremental() else ['true']) %}
    union
    select
        least(a.mention_id, b.mention_id) as mention_a,
        greatest(a.mention_id, b.mention_id) as mention_b
    from window_days as a
    inner join widened_days as b
        on a.window_day = b.window_day
        and a.mention_id <> b.mention_id
    where {{ pairing }} and {{ scored_side }}
    {%- endfor %}
    {%- endfor %}
),

pairs as (
    select
        a.mention_id as mention_a,
        b.mention_id as mention_b,
        a.document_state as document_state_a,
        b.document_state as document_state_b,
        a.content_hash = b.content_hash as same_document,
        a.statement_id = b.statement_id as same_statement,
        a.date_window_start is not null and b.date_window_start is not null as both_dated,
        a.is_soft_date or b.is_soft_date as has_soft_date,
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
        a.outcome = b.outcome as same_outcome,
        -- one side a recap item (is_recap_item), the other side another report
        (a.is_recap_item or b.is_recap_item) and a.content_hash <> b.content_hash as recalls_other_report,
        -- comparisons with an unknown side are false, never null
        -- the same gazetteer place, below the governorate ("حلب" the governorate is only same_admin1)
        a.is_placed and b.is_placed and a.place_id = b.place_id as same_place,
        -- the same resolved name at any level, a governorate included: evidence, not a link by itself
        coalesce(a.place_id = b.place_id, false) as same_place_name,
        coalesce(a.admin1 = b.admin1, false) as same_admin1,
        coalesce(a.admin1 <> b.admin1, false) as admin1_conflict,
        -- a mention with no governorate at all is unlocated: it needs stronger evidence to link
        a.admin1 is null or b.admin1 is null as has_unlocated,
        -- both pinned to gazetteer places, and different ones: two villages shelled the same day
        -- are two events (a governorate-level mention is not pinned and conflicts with neither)
        -- a region and a village differ only when the village lies outside it (var area_radius_km)
        (a.is_placed and b.is_placed and a.place_id <> b.place_id)
            or coalesce(
                (a.is_area or b.is_area) and (a.is_placed or a.is_area) and (b.is_placed or b.is_area)
                and a.place_id <> b.place_id
                and {{ haversine_km('a.latitude', 'a.longitude', 'b.latitude', 'b.longitude') }}
                    > {{ var('area_radius_km') }},
                false
            ) as places_differ,
        coalesce(
            a.geo_precision = 'place' and b.geo_precision = 'place'
            and {{ haversine_km('a.latitude', 'a.longitude', 'b.latitude', 'b.longitude') }}
                > {{ var('max_incident_spread_km') }},
            false
        ) as places_too_far,
        -- two different places close enough to be named for one strike (a village and the town
        -- next to it, a dam and its district): var nearby_places_km
        coalesce(
            a.geo_precision = 'place' and b.geo_precision = 'place'
            and {{ haversine_km('a.latitude', 'a.longitude', 'b.latitude', 'b.longitude') }}
                <= {{ var('nearby_places_km') }},
            false
        ) as places_nearby,
        coalesce(a.perpetrator = b.perpetrator, false) as same_perpetrator,
        -- different perpetrators conflict unless each side is the other's victim (a clash, a raid),
        -- or they are allies that reports credit for the same strike ("Russian warplanes" in one,
        -- "regime forces" in the other; var joint_perpetrators for the other alliances)
        coalesce(
            a.perpetrator <> b.perpetrator and a.perpetrator <> b.victim and b.perpetrator <> a.victim
            and not (a.perpetrator_regime_allied and b.perpetrator_regime_allied)
            {%- for first, second in var('joint_perpetrators') %}
            and not (a.perpetrator in ('{{ first }}', '{{ second }}') and b.perpetrator in ('{{ first }}', '{{ second }}'))
            {%- endfor %},
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
        -- the same non-trivial figure for the same group and outcome: a restatement ("15 killed" names no
        -- group, so it restates "15 civilians killed" as well)
        a.outcome = b.outcome and a.reported_count = b.reported_count and a.reported_count >= 2
            and (a.victim = b.victim or 'unspecified' in (a.victim, b.victim)) as same_figure,
        -- one victim of the same group and outcome at the same gazetteer spot: below same_figure's
        -- size, but the spot makes it one event when the two dates are a day apart (a "yesterday"
        -- counted from another day than the other report's)
        coalesce(
            a.is_placed and b.is_placed and a.place_id = b.place_id
            and a.outcome = b.outcome and a.victim = b.victim
            and a.reported_count = 1 and b.reported_count = 1,
            false
        ) as same_single_victim_at_place,
        -- two statements telling the same killed AND the same injured figure for the same group ("one
        -- killed and three injured"): a pair of figures rarely recurs by chance, even small ones
        coalesce(
            a.statement_id <> b.statement_id and a.outcome = b.outcome and a.outcome in ('killed', 'injured')
            and a.victim = b.victim
            and a.statement_killed = b.statement_killed and a.statement_injured = b.statement_injured,
            false
        ) as restates_killed_and_injured,
        -- a figure this large rarely recurs by chance on the same day (see var restated_figure_min_count)
        a.reported_count >= {{ var('restated_figure_min_count') }} as is_large_figure,
        -- losses of foreign forces are rare: their figure restated within a day is one event
        a.victim in ('{{ var("distinctive_victims") | join("', '") }}') as is_distinctive_victim,
        coalesce(a.date_window_start > b.published_at or b.date_window_start > a.published_at, false)
            as reported_before_it_began,
        -- the same figure for the same group and outcome in the same governorate, credited to the same
        -- force, with one side dated only by its publication day a day off the other: the post of the
        -- next morning about the evening's raid. Two traits beyond the governorate: "2 killed in Raqqa"
        -- alone recurs day after day, by the same named force at the same size far less
        coalesce(
            (a.is_soft_date or b.is_soft_date)
            and a.admin1 = b.admin1 and a.perpetrator = b.perpetrator
            and a.outcome = b.outcome and a.reported_count = b.reported_count and a.reported_count >= 2
            and (a.victim = b.victim or 'unspecified' in (a.victim, b.victim))
            and a.date_window_start <= {{ dbt.dateadd('day', 1, 'b.date_window_end') }}
            and b.date_window_start <= {{ dbt.dateadd('day', 1, 'a.date_window_end') }},
            false
        ) as soft_date_restatement_same_perpetrator,
        -- ...but only by a date that is a publication day, which may be a day late (the event the
        -- day before, when the other article was out)
        coalesce(
            {{ dbt.dateadd('day', '- cast(a.is_soft_date as integer)', 'a.date_window_start') }} <= b.published_at
            and {{ dbt.dateadd('day', '- cast(b.is_soft_date as integer)', 'b.date_window_start') }} <= a.published_at,
            false
        ) as reported_after_soft_date,
        -- two articles, each dated firmly (not merely by its publication day), giving the same outcome
        -- different figures: told of one governorate's day, often two strikes rather than one toll told twice
        -- (on the Airwars development reports two in five such document pairs linked by the governorate were
        -- two coded incidents, against one in six when the figures agree). A breaking post's first count is
        -- exempt: it is a toll still growing;
        -- so is a region (var area_feature_types) holding the other's village: more than a governorate in common
        coalesce(
            a.content_hash <> b.content_hash and a.outcome = b.outcome
            and a.reported_count <> b.reported_count
            and not (a.is_soft_date or b.is_soft_date)
            and not (a.is_area or b.is_area),
            false
        ) as firm_tolls_disagree,
        abs(a.char_start - b.char_start) as char_distance
    from candidates
    inner join mentions as a on candidates.mention_a = a.mention_id
    inner join mentions as b on candidates.mention_b = b.mention_id
),

-- a recap item links only inside its own report, or by a figure that links on its own (large, or of a rare
-- victim group): it never joins, nor bridges, other reports' incidents by a place or a day
recaps as (
    select
        pairs.*,
        recalls_other_report and not (same_figure and (is_large_figure or is_distinctive_victim))
            as recap_across_reports
    from pairs
),

impossible as (
    select
        recaps.*,
        -- the same figure for the same group and outcome in the same governorate, told with two
        -- different perpetrators: a restatement whose sources disagree on who struck
        perpetrator_conflict and same_figure and same_admin1 as perpetrator_disputed_restatement,
        -- the two cannot be one event whatever else they share
        not outcomes_compatible
            or recap_across_reports
            or admin1_conflict
            or places_too_far
            or (both_dated and not dates_within_a_day)
            -- an article cannot report an event that begins after it was published (a date that is
            -- only a publication day may be a day late, so it may have)
            or (reported_before_it_began and not reported_after_soft_date)
            -- a day apart only for a restated figure or a date that is a publication day
            or (both_dated and not dates_overlap and not same_figure and not same_single_victim_at_place
                and not has_soft_date) as is_impossible
    from recaps
),

scored as (
    select
        impossible.*,
        is_impossible
            -- reports credit one strike to different forces ("Russian jets", "regime artillery",
            -- "Turkish drone" for an SNA shelling): the same figure for the same group restated in
            -- the same governorate outweighs that disagreement (perpetrator_disputed_restatement)
            or (perpetrator_conflict and not perpetrator_disputed_restatement)
            -- a publication-day date a day late explains an article older than the event only for a
            -- figure restated at the same spot: reports a day apart at a place shelled daily are
            -- otherwise two events
            or (reported_before_it_began
                and not (same_place and (same_figure or same_single_victim_at_place))
                and not soft_date_restatement_same_perpetrator) as is_conflict,
        -- a restated figure counts as evidence only with something else shared or when it is large or
        -- about a rare victim group: "2 civilians killed" recurs every day. A place is enough; an article, or on the same day a governorate
        -- or a perpetrator, only when no two different places are named (a round-up's "2 killed in X"
        -- and "2 killed in Y") and, for the latter, when both are located (unlocated mentions need
        -- stronger evidence)
        same_figure and (
            same_statement or same_document or is_large_figure or is_distinctive_victim or same_place
            or (dates_overlap and not has_unlocated and not places_differ and (same_admin1 or same_perpetrator))
        ) as is_restatement
    from impossible
),

weighed as (
    select
        scored.*,
        -- evidence that the two describe one event, used to rank candidates; the same figure for the
        -- same group restated outweighs a shared place (a place can be a hospital's, not the attack's)
        3 * cast(same_statement as integer)
            + 3 * cast(is_restatement as integer)
            + 2 * cast(parts_sum_to_total as integer)
            + 2 * cast(same_place_name as integer)
            + cast(same_admin1 as integer)
            + cast(same_perpetrator as integer) as evidence_score
    from scored
),

ruled as (
select
    weighed.*,
    -- the rule that links two day-dated mentions directly (null: no direct link)
    case
        when is_conflict or not both_dated then null
        when same_statement and dates_overlap then 'same_statement'
        -- a publication-day date may be a day late: a place or governorate in common within a day;
        -- across articles a governorate alone needs the figure restated too (a governorate's posts of
        -- one day and the next tell of many events; on the very day same_day_same_admin1 still applies)
        when has_soft_date and dates_within_a_day and not places_differ
            and (same_place or (same_admin1 and (same_document or (same_outcome and is_restatement))))
            then 'published_date_same_area'
        -- one article's reports dated by its publication day: one breaking story, unless two places
        when has_soft_date and same_document and dates_overlap and not places_differ
            then 'published_date_same_article'
        -- a publication-day post a day off another report of that governorate: the figure restated by
        -- the same force (soft_date_restatement_same_perpetrator); a report with no governorate never
        when soft_date_restatement_same_perpetrator and not places_differ and not has_unlocated
            and not dates_overlap
            then 'published_date_restated_same_perpetrator'
        when dates_overlap and same_place then 'same_day_same_place'
        -- a governorate in common is enough inside one article; across articles the outcome must agree, and
        -- the figure too unless one side is a breaking post (firm_tolls_disagree): "one killed in Idlib" and
        -- "four killed in Idlib" of that day have only the governorate in common (a named force for both still
        -- links them below: same_day_same_admin1_same_perpetrator)
        when dates_overlap and same_admin1 and not places_differ
            and (same_document or (same_outcome and not firm_tolls_disagree))
            then 'same_day_same_admin1'
        -- across articles a killed and an injured figure of one governorate's day are one event when the
        -- same force is named for both ("Israeli strike on Damascus" killed one; another post: injured one)
        when dates_overlap and same_admin1 and same_perpetrator and not places_differ
            then 'same_day_same_admin1_same_perpetrator'
        when dates_overlap and same_perpetrator and same_document and not places_differ
            then 'same_day_same_perpetrator_same_article'
        -- an article's sentence with no place ("two civilians were killed today") tells of the event the
        -- article places that day when the outcome agrees; unlocated mentions across articles need more
        when dates_overlap and same_document and same_outcome and has_unlocated and not places_differ
            then 'same_day_same_article'
        when dates_overlap and parts_sum_to_total and not places_differ then 'parts_sum_to_total'
        when is_restatement then 'restated_figure'
        -- both tolls restated within a day, nowhere else: one event even when one report names no place
        when restates_killed_and_injured and dates_within_a_day and not places_differ
            then 'restated_killed_and_injured'
        -- one victim at one spot told with dates a day apart (see same_single_victim_at_place)
        when same_single_victim_at_place and dates_within_a_day and not dates_overlap
            then 'same_place_single_victim_a_day_apart'
    end as direct_link_rule
from weighed
),

-- a mention not dated to the day joins an incident only through a report of its own article
-- with evidence_score >= 2 (int_mentions_linked, step 2: attacher_choice); without one, none of
-- its pairs is ever read
attachable as (
    select mention_id
    from (
        select mention_a as mention_id, evidence_score from ruled where same_document
        union all
        select mention_b as mention_id, evidence_score from ruled where same_document
        {% if is_incremental() %}
        -- a mention left as it was: its document's pairs are all in this table (a same-document pair
        -- scoring 2 or more makes both sides attachable, so it is kept)
        union all
        select mention_a as mention_id, evidence_score from {{ this }} where same_document
        union all
        select mention_b as mention_id, evidence_score from {{ this }} where same_document
        {% endif %}
    ) as own_article_pairs
    where evidence_score >= 2
    group by mention_id
),

-- the rows int_mentions_linked reads. Between two anchors: a direct link, or a pair that lets two
-- groups merge (one_event_compatible_reports needs every pair of their members present and none
-- impossible or at two places too far apart, so an absent pair rules the merge out as an impossible
-- one does). With a mention not dated to the day: when each such side is attachable.
kept_pairs as (
    select ruled.*
    from ruled
    inner join mentions as a on ruled.mention_a = a.mention_id
    inner join mentions as b on ruled.mention_b = b.mention_id
    left join attachable as attachable_a on ruled.mention_a = attachable_a.mention_id
    left join attachable as attachable_b on ruled.mention_b = attachable_b.mention_id
    where
        case
            when a.is_anchor and b.is_anchor
                then ruled.direct_link_rule is not null
                    or not (ruled.is_impossible or (ruled.places_differ and not ruled.places_nearby))
            else (a.is_anchor or attachable_a.mention_id is not null)
                and (b.is_anchor or attachable_b.mention_id is not null)
        end
)

select * from kept_pairs
