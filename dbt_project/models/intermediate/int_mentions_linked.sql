-- Incident resolution: which incident each usable incident-scope mention joined, and
-- by which rule. Three steps, each explainable from int_mention_pairs_scored:
--   1. Anchors (mentions dated to the day) are linked by a direct rule (int_mention_pairs_scored:
--      same statement; same day and same place, or same governorate without two different
--      places; same day, perpetrator and article; parts adding up to a toll; a figure
--      restated with something else in common; a killed and an injured figure restated
--      together; one victim at the same spot a day apart; a
--      publication-day date within a day of the
--      same area, or in the same article; an article's unplaced sentence of that day with
--      the article's report of the same outcome) and grouped into connected components. Only
--      pinned anchors (a firm date and a gazetteer spot, not a region such as a mountain:
--      var area_feature_types) link freely. A loose anchor (only
--      a governorate or no place, or a date that is merely the publication day) that can
--      link to a pinned one keeps just its one strongest link (to a pinned report or to
--      publication-day posts at a place, by evidence), so it joins one incident and
--      never bridges two: "Idlib, today" fits every village shelled in Idlib that day.
--      Between equally strong links it keeps one in its own article, then one of its very
--      day, then one of its outcome (macro link_tie_break), never the nearer offset in the
--      text of another article.
--      Loose reports with no pinned partner link among themselves on the same day (those at
--      a place only with reports of that place; a publication-day date a day off never chains
--      two days), and each unplaced cluster keeps one link out; so does each cluster of
--      publication-day posts at a place, to a loose report of that same place tied to a
--      pinned one (cluster_exits).
--      Conflicting pairs (other governorate, places > max_incident_spread_km apart, other
--      perpetrator, other day, an article older than the event, a release next to an
--      attack, a recap item of another report: int_mention_pairs_scored.recap_across_reports)
--      are never linked.
--   1b. Two of those groups merge when a direct link joins them and nothing rules their
--      union out (one_event_compatible_reports): every member of one is within a day of every
--      member of the other, no pair of them is impossible (int_mention_pairs_scored.is_impossible) and
--      none names a village farther than var nearby_places_km from the other's. Only mutual
--      best partners merge, in two rounds, so a loose report never chains a day of events.
--   2. Mentions with a coarse or unknown date never link anchors together (they
--      would chain unrelated events); each joins at most ONE anchored incident: the
--      one with the strongest evidence and no conflict with any of its mentions (a mention
--      at another village included)
--      (undated ones only within their own article, with evidence >= 2, nearest in the text on
--      a tie; coarse-dated ones the same, never from another article). The mentions of one statement
--      prefer the incident that most of them may join (statement_attaches_together: "5 killed and 31
--      wounded that night" goes where both figures fit, not to an older attack that repeats the 5).
--      Two that would join one
--      incident in the same round at different villages (a round-up's list) join neither.
--   3. The rest form incidents of their own, one per statement.
-- Subsets ("بينهم أربعة ضباط": a smaller figure for the same group and outcome
-- in the same statement) stay in their incident but are flagged, so the
-- estimates never add them to the total.
with recursive

mentions as (
    select
        *,
        date_precision = 'day' and event_date is not null as is_anchor,
        -- pinned: a firm day and a gazetteer place; such an anchor may link to many others
        date_precision = 'day' and event_date is not null
            and coalesce(date_basis <> 'published', true)
            and geo_precision = 'place' and place_id is not null
            and coalesce(place_feature_type not in ('{{ var("area_feature_types") | join("', '") }}'), true)
            as is_pinned,
        -- a region ("Jabal al-Zawiya", var area_feature_types) is no spot: like a governorate here
        geo_precision = 'place' and place_id is not null
            and coalesce(place_feature_type not in ('{{ var("area_feature_types") | join("', '") }}'), true)
            as is_placed,
        -- recalled by a report that tells of a later day (macros/recap_item.sql); carried to the marts
        {{ is_recap_item('event_date', 'date_precision', 'content_hash') }} as is_recap_item
    from {{ ref('int_mentions_enriched') }}
    where mention_scope = 'incident' and rejection_reason is null
),

pairs as (
    select * from {{ ref('int_mention_pairs_scored') }}
),

-- both directions, so each mention sees all its partners as "other"
directed_pairs as (
    select mention_a as mention_id, mention_b as other_id, {{ star_except(['mention_a', 'mention_b']) }} from pairs
    union all
    select mention_b as mention_id, mention_a as other_id, {{ star_except(['mention_a', 'mention_b']) }} from pairs
),

-- a statement is pinned when one of its anchors is (the statement is one unit: its loose
-- mentions ride along with the pinned one)
statements as (
    select
        statement_id,
        max(case when is_pinned then 1 else 0 end) = 1 as is_pinned_statement,
        max(case when is_placed then 1 else 0 end) = 1 as is_placed_statement
    from mentions
    where is_anchor
    group by statement_id
),

linkable as (
    select
        directed_pairs.mention_id,
        directed_pairs.other_id,
        directed_pairs.direct_link_rule,
        directed_pairs.same_statement,
        directed_pairs.same_document,
        directed_pairs.dates_overlap,
        directed_pairs.same_outcome,
        coalesce(directed_pairs.same_place, false) as same_place,
        directed_pairs.evidence_score,
        directed_pairs.char_distance,
        this.statement_id,
        other.statement_id as other_statement_id,
        this.is_pinned,
        other.is_pinned as other_is_pinned,
        -- loose reports link freely among themselves only on the same day or by the figure they
        -- restate: a publication-day date fits the day before too, so "Idlib, Monday" - a Tuesday
        -- post - "Idlib, Tuesday" would chain two days of shelling into one incident
        coalesce(
            directed_pairs.dates_overlap or directed_pairs.same_statement
            or directed_pairs.direct_link_rule in (
                'restated_figure', 'restated_killed_and_injured', 'published_date_restated_same_perpetrator'
            ),
            false
        ) as is_chainable
    from directed_pairs
    inner join mentions as this on directed_pairs.mention_id = this.mention_id and this.is_anchor
    inner join mentions as other on directed_pairs.other_id = other.mention_id and other.is_anchor
    where directed_pairs.direct_link_rule is not null
),

-- pinned: has a pinned anchor; tied: loose, with a direct link to a pinned anchor of another
-- statement; free_placed: loose, no pinned partner, at a gazetteer place (a report dated by its
-- publication day); free: loose, no pinned partner, no place
statement_kinds as (
    select
        statements.statement_id,
        case
            when statements.is_pinned_statement then 'pinned'
            when statements.statement_id in (
                select statement_id from linkable where other_is_pinned and not same_statement
            ) then 'tied'
            when statements.is_placed_statement then 'free_placed'
            else 'free'
        end as statement_kind
    from statements
),

{% call staged_cte('direct_links') %}
    select
        linkable.*,
        this_kind.statement_kind,
        other_kind.statement_kind as other_statement_kind,
        row_number() over (
            partition by linkable.statement_id, linkable.same_statement
            order by
                -- to a placed report that links nowhere else: a pinned one (a tied statement always
                -- has one) or publication-day posts at a place; the strongest evidence among them
                -- ("six injured in Daraa" goes to the posts of six injured in a Daraa town rather than
                -- to another village's report of that day), then a pinned one
                case when linkable.other_is_pinned or other_kind.statement_kind = 'free_placed' then 0 else 1 end,
                -- a link by the force alone across outcomes (same_day_same_admin1_same_perpetrator) is a
                -- fallback: "regime shelling killed two in Idlib" goes to that day's report of deaths in
                -- Idlib before the one of injuries by the same force, whatever the evidence
                case when linkable.direct_link_rule = 'same_day_same_admin1_same_perpetrator' then 1 else 0 end,
                linkable.evidence_score desc,
                case when linkable.other_is_pinned then 0 else 1 end,
                {{ link_rule_rank('linkable.direct_link_rule') }},
                {{ link_tie_break('linkable') }},
                linkable.other_id,
                linkable.mention_id
        ) as strength_rank
    from linkable
    inner join statement_kinds as this_kind on linkable.statement_id = this_kind.statement_id
    inner join statement_kinds as other_kind on linkable.other_statement_id = other_kind.statement_id
{% endcall %},

-- loose reports link among themselves: unplaced free reports with free ones, placed free reports
-- (publication-day posts at one place, no pinned partner) with placed ones (no pinned group can be
-- joined through them); links never cross the two kinds, so each cluster holds one kind...
loose_edges as (
    select mention_id, other_id from direct_links
    where statement_kind in ('free', 'free_placed') and other_statement_kind = statement_kind and is_chainable
),

loose_anchors as (
    select mentions.mention_id
    from mentions
    inner join statement_kinds on mentions.statement_id = statement_kinds.statement_id
    where mentions.is_anchor and statement_kinds.statement_kind in ('free', 'free_placed')
),

{{ connected_components('loose_clusters', 'loose_anchors', 'loose_edges', 'cluster_id') }},

-- ...and each cluster keeps one link out, its strongest: an unplaced cluster to a placed or a tied
-- report (by rule, then evidence); a placed cluster to a tied statement at the same place (by
-- evidence, then rule), so the breaking-news posts of a village join the incident whose report
-- names that village instead of standing as a second incident of the event. One exit per cluster,
-- and a tied statement joins one pinned group only, so no two groups bridge.
cluster_exits as (
    select direct_links.mention_id, direct_links.other_id
    from (
        select
            direct_links.*,
            row_number() over (
                partition by loose_clusters.cluster_id
                order by
                    case when direct_links.statement_kind = 'free'
                        then {{ link_rule_rank('direct_links.direct_link_rule') }} end,
                    direct_links.evidence_score desc,
                    {{ link_rule_rank('direct_links.direct_link_rule') }},
                    {{ link_tie_break('direct_links') }},
                    direct_links.other_id,
                    direct_links.mention_id
            ) as exit_rank
        from direct_links
        inner join loose_clusters on direct_links.mention_id = loose_clusters.mention_id
        where (direct_links.statement_kind = 'free' and direct_links.other_statement_kind in ('free_placed', 'tied'))
            or (direct_links.statement_kind = 'free_placed' and direct_links.other_statement_kind = 'tied'
                and direct_links.same_place)
    ) as direct_links
    where exit_rank = 1
),

-- kept: every link inside a statement and between pinned anchors; a tied statement keeps only
-- its one strongest link, to a pinned report; placed free reports keep their links among
-- themselves (they share the place: different places never link), unplaced free reports too,
-- with one link out per cluster. A loose report thus joins at most one placed group and never
-- bridges two ("Idlib, today" fits every village shelled in Idlib that day).
kept_links as (
    select direct_links.mention_id, direct_links.other_id, direct_links.direct_link_rule
    from direct_links
    left join cluster_exits
        on direct_links.mention_id = cluster_exits.mention_id
        and direct_links.other_id = cluster_exits.other_id
    where direct_links.same_statement
        or (direct_links.is_pinned and direct_links.other_is_pinned)
        or (direct_links.statement_kind = 'tied' and direct_links.strength_rank = 1)
        or (direct_links.statement_kind in ('free', 'free_placed')
            and direct_links.other_statement_kind = direct_links.statement_kind and direct_links.is_chainable)
        or cluster_exits.mention_id is not null
),

{% call staged_cte('anchor_edges') %}
    select mention_id, other_id, direct_link_rule from kept_links
    union
    select other_id as mention_id, mention_id as other_id, direct_link_rule from kept_links
{% endcall %},

anchors as (
    select mention_id from mentions where is_anchor
),

{{ connected_components('linked_components', 'anchors', 'anchor_edges', 'root_mention_id') }},

-- step 1b: two components that tell one event. The loose-report rules above keep a report's
-- weaker links out so that it never bridges two groups; that also leaves one event split when
-- its reports sit in two groups with nothing against their union (posts of a town dated by their
-- publication day beside a report of that town's attack). Two components merge when a direct
-- link joins them and they are fully compatible: every member of one is a candidate pair of
-- every member of the other (all within a day) and no such pair conflicts or names two
-- different places. Each component merges with its strongest such partner only when that
-- partner's strongest is it too (a mutual best), so merges never chain: "Idlib, today" cannot
-- join two villages' incidents, since those two conflict on the place.
components_0 as (
    select mention_id, root_mention_id from linked_components
),

{% for round in [1, 2] %}
component_sizes_{{ round }} as (
    select root_mention_id, count(*) as n_members
    from components_{{ round - 1 }}
    group by root_mention_id
),

component_pairs_{{ round }} as (
    select
        this.root_mention_id,
        other.root_mention_id as other_root_mention_id,
        count(*) as n_pairs,
        max(case
            when coalesce(directed_pairs.is_impossible, false) then 1
            when coalesce(directed_pairs.places_differ, false) and not coalesce(directed_pairs.places_nearby, false) then 1
            else 0
        end) as has_impossible_pair,
        max(case when directed_pairs.direct_link_rule is not null then directed_pairs.evidence_score end)
            as best_link_evidence,
        min(case when directed_pairs.direct_link_rule is not null
            then {{ link_rule_rank('directed_pairs.direct_link_rule') }} end) as best_link_rank
    from directed_pairs
    inner join components_{{ round - 1 }} as this on directed_pairs.mention_id = this.mention_id
    inner join components_{{ round - 1 }} as other on directed_pairs.other_id = other.mention_id
    group by this.root_mention_id, other.root_mention_id
    -- Pairs within one component are left out after grouping, not before: as a WHERE the inequality is
    -- a join condition between `this` and `other` alone, and DuckDB, which cannot estimate the size of
    -- the recursive components, joined them first (every mention with every other; out of memory at
    -- 10k synthetic articles). As aggregates it cannot be pushed below the group: the same rows.
    having min(this.root_mention_id) <> min(other.root_mention_id)
),

component_partners_{{ round }} as (
    select
        component_pairs.*,
        row_number() over (
            partition by component_pairs.root_mention_id
            order by best_link_evidence desc, best_link_rank, other_root_mention_id
        ) as partner_rank
    from component_pairs_{{ round }} as component_pairs
    inner join component_sizes_{{ round }} as this_size
        on component_pairs.root_mention_id = this_size.root_mention_id
    inner join component_sizes_{{ round }} as other_size
        on component_pairs.other_root_mention_id = other_size.root_mention_id
    where component_pairs.has_impossible_pair = 0
        and component_pairs.best_link_evidence is not null
        and component_pairs.n_pairs = this_size.n_members * other_size.n_members
),

{% call staged_cte('component_merges_' ~ round) %}
    select
        this.root_mention_id,
        this.other_root_mention_id,
        least(this.root_mention_id, this.other_root_mention_id) as merged_root_mention_id
    from component_partners_{{ round }} as this
    inner join component_partners_{{ round }} as other
        on this.other_root_mention_id = other.root_mention_id
        and other.other_root_mention_id = this.root_mention_id
    where this.partner_rank = 1 and other.partner_rank = 1
{% endcall %},

-- the link that merged two components, for the explanation: their strongest direct link
component_bridges_{{ round }} as (
    select mention_id, other_id
    from (
        select
            directed_pairs.mention_id,
            directed_pairs.other_id,
            row_number() over (
                partition by merges.root_mention_id
                order by
                    directed_pairs.evidence_score desc,
                    {{ link_rule_rank('directed_pairs.direct_link_rule') }},
                    directed_pairs.mention_id,
                    directed_pairs.other_id
            ) as bridge_rank
        from component_merges_{{ round }} as merges
        inner join components_{{ round - 1 }} as this on merges.root_mention_id = this.root_mention_id
        inner join components_{{ round - 1 }} as other on merges.other_root_mention_id = other.root_mention_id
        inner join directed_pairs
            on this.mention_id = directed_pairs.mention_id
            and other.mention_id = directed_pairs.other_id
        where merges.root_mention_id = merges.merged_root_mention_id
            and directed_pairs.direct_link_rule is not null
    ) as bridges
    where bridge_rank = 1
),

{% call staged_cte('components_' ~ round) %}
    select
        components.mention_id,
        coalesce(merges.merged_root_mention_id, components.root_mention_id) as root_mention_id
    from components_{{ round - 1 }} as components
    left join component_merges_{{ round }} as merges on components.root_mention_id = merges.root_mention_id
{% endcall %},
{% endfor %}

anchor_components as (
    select mention_id, root_mention_id from components_2
),

component_bridges as (
    select mention_id, other_id, 'one_event_compatible_reports' as direct_link_rule from component_bridges_1
    union all
    select mention_id, other_id, 'one_event_compatible_reports' as direct_link_rule from component_bridges_2
),

-- step 1 explanation: each anchor's strongest direct link inside its component
anchor_links as (
    select
        mention_id,
        other_id as linked_to_mention_id,
        direct_link_rule as link_rule,
        row_number() over (
            partition by mention_id
            order by
                {{ link_rule_rank('direct_link_rule') }},
                other_id
        ) as link_rank
    from (
        select mention_id, other_id, direct_link_rule from anchor_edges
        union all
        select mention_id, other_id, direct_link_rule from component_bridges
        union all
        select other_id as mention_id, mention_id as other_id, direct_link_rule from component_bridges
    ) as explained_edges
),

-- step 2: coarse-dated and undated mentions join anchored incidents, in two rounds
-- so that a mention can attach through one that attached in the first round
members_0 as (
    select mention_id, root_mention_id from anchor_components
),

{% for round in [1, 2] %}
attacher_evidence_{{ round }} as (
    select
        directed_pairs.mention_id,
        members.root_mention_id,
        -- a member at another village is a conflict here: an undated "three killed in Y" in a
        -- round-up is not the article's attack on X
        max(case when directed_pairs.is_conflict or directed_pairs.places_differ then 1 else 0 end) as has_conflict,
        max(directed_pairs.evidence_score) as best_evidence,
        max(case when directed_pairs.same_document then 1 else 0 end) as shares_article,
        max(case when directed_pairs.same_document then directed_pairs.evidence_score end) as best_article_evidence,
        min(case when directed_pairs.same_document then directed_pairs.char_distance end) as nearest_char_distance
    from directed_pairs
    inner join mentions as this
        on directed_pairs.mention_id = this.mention_id and not this.is_anchor
    inner join members_{{ round - 1 }} as members on directed_pairs.other_id = members.mention_id
    where directed_pairs.mention_id not in (select mention_id from members_{{ round - 1 }})
    group by directed_pairs.mention_id, members.root_mention_id
),

attacher_options_{{ round }} as (
    select
        evidence.*,
        -- statement_support: how many of the statement's loose mentions may join this incident. A
        -- statement tells of one event ("killed 5 and wounded 31 that night"): the incident that
        -- more of its figures fit wins over one a single figure happens to repeat (rule
        -- statement_attaches_together)
        count(*) over (partition by mentions.statement_id, evidence.root_mention_id) as statement_support
    from attacher_evidence_{{ round }} as evidence
    inner join mentions on evidence.mention_id = mentions.mention_id
    where has_conflict = 0
        and (
            -- undated: only the article's own events, and more than one shared trait: a perpetrator
            -- alone is too weak ("the attack that day" may be one from a year before)
            (mentions.event_date is null and shares_article = 1 and best_evidence >= 2)
            -- coarse date: the window overlaps and two traits agree within the article; never from
            -- another article: a town is shelled many times in a month, and even a figure recurs (on
            -- the Airwars development reports, 3 of 3 such cross-article attachments were another event)
            or (mentions.event_date is not null and best_article_evidence >= 2)
        )
),

{% call staged_cte('attacher_choice_' ~ round) %}
    select
        options.*,
        row_number() over (
            partition by options.mention_id
            order by statement_support desc, best_evidence desc, shares_article desc, nearest_char_distance, root_mention_id
        ) as choice_rank
    from attacher_options_{{ round }} as options
{% endcall %},

attached_{{ round }} as (
    select
        attacher_choice.mention_id,
        attacher_choice.root_mention_id,
        case
            when mentions.event_date is null then 'attached_undated_same_article'
            else 'attached_coarse_date'
        end as link_rule
    from attacher_choice_{{ round }} as attacher_choice
    inner join mentions on attacher_choice.mention_id = mentions.mention_id
    where choice_rank = 1
        -- a round-up of several villages must not glue them to one incident: two reports joining it
        -- in the same round at different villages are two events, and neither can tell which (if
        -- any) is the incident's
        and not exists (
            select 1
            from attacher_choice_{{ round }} as rival
            inner join directed_pairs
                on directed_pairs.mention_id = attacher_choice.mention_id
                and directed_pairs.other_id = rival.mention_id
            where rival.root_mention_id = attacher_choice.root_mention_id
                and rival.choice_rank = 1
                and directed_pairs.places_differ
        )
),

{% call staged_cte('members_' ~ round) %}
    select mention_id, root_mention_id from members_{{ round - 1 }}
    union all
    select mention_id, root_mention_id from attached_{{ round }}
{% endcall %},
{% endfor %}

{% call staged_cte('attached') %}
    select * from attached_1
    union all
    select * from attached_2
{% endcall %},

-- the member that gave the attachment its evidence, for the explanation
attached_partner as (
    select
        attached.mention_id,
        directed_pairs.other_id as linked_to_mention_id,
        row_number() over (
            partition by attached.mention_id
            order by directed_pairs.evidence_score desc, directed_pairs.char_distance, directed_pairs.other_id
        ) as partner_rank
    from attached
    inner join members_2 as members
        on attached.root_mention_id = members.root_mention_id
        and attached.mention_id <> members.mention_id
    inner join directed_pairs
        on attached.mention_id = directed_pairs.mention_id
        and members.mention_id = directed_pairs.other_id
),

-- step 3: what is left groups by statement
leftovers as (
    select
        mentions.mention_id,
        min(mentions.mention_id) over (
            partition by mentions.statement_id, mentions.outcome = 'released'
        ) as root_mention_id,
        count(*) over (
            partition by mentions.statement_id, mentions.outcome = 'released'
        ) as statement_size
    from mentions
    left join attached on mentions.mention_id = attached.mention_id
    where not mentions.is_anchor and attached.mention_id is null
),

assigned as (
    select
        anchor_components.mention_id,
        anchor_components.root_mention_id,
        coalesce(anchor_links.link_rule, 'single_mention') as link_rule,
        anchor_links.linked_to_mention_id
    from anchor_components
    left join anchor_links
        on anchor_components.mention_id = anchor_links.mention_id and anchor_links.link_rank = 1
    union all
    select
        attached.mention_id,
        attached.root_mention_id,
        attached.link_rule,
        attached_partner.linked_to_mention_id
    from attached
    left join attached_partner
        on attached.mention_id = attached_partner.mention_id and attached_partner.partner_rank = 1
    union all
    select
        mention_id,
        root_mention_id,
        case when statement_size > 1 then 'same_statement_undated' else 'single_mention' end,
        case when mention_id <> root_mention_id then root_mention_id end
    from leftovers
),

with_incident as (
    select
        assigned.*,
        {{ dbt.concat(["'inc_'", 'assigned.root_mention_id']) }} as incident_id,
        mentions.statement_id,
        mentions.outcome,
        mentions.victim,
        mentions.reported_count,
        mentions.char_start,
        mentions.is_recap_item
    from assigned
    inner join mentions on assigned.mention_id = mentions.mention_id
),

-- a smaller figure for the same group and outcome in the same statement is a part
-- of the larger one ("27 ... بينهم أربعة ضباط"), not another estimate
subsets as (
    select
        part.mention_id,
        whole.mention_id as subset_of_mention_id,
        row_number() over (
            partition by part.mention_id order by whole.reported_count desc, whole.mention_id
        ) as whole_rank
    from with_incident as part
    inner join with_incident as whole
        on part.incident_id = whole.incident_id
        and part.statement_id = whole.statement_id
        and part.outcome = whole.outcome
        and part.victim = whole.victim
        and part.reported_count < whole.reported_count
)

select
    with_incident.mention_id,
    with_incident.incident_id,
    with_incident.link_rule,
    with_incident.linked_to_mention_id,
    subsets.subset_of_mention_id,
    subsets.subset_of_mention_id is not null as is_subset,
    with_incident.is_recap_item
from with_incident
left join subsets on with_incident.mention_id = subsets.mention_id and subsets.whole_rank = 1
