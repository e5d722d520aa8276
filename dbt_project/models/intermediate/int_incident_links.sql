-- Incident resolution: which incident each usable incident-scope mention joined, and
-- by which rule. Three steps, each explainable from int_mention_pairs:
--   1. Anchors (mentions dated to the day) are linked pairwise by a direct rule
--      (same statement; same day and same place or governorate; same day, same
--      perpetrator and same article; the same figure restated within a day) and
--      grouped into connected components. Conflicting pairs (other governorate,
--      places > max_incident_spread_km apart, other perpetrator, other day, a release
--      next to an attack) are never linked.
--   2. Mentions with a coarse or unknown date never link anchors together (they
--      would chain unrelated events); each joins at most ONE anchored incident: the
--      one with the strongest evidence and no conflict with any of its mentions
--      (undated ones only within their own article, with evidence >= 2, nearest in the text on a tie).
--   3. The rest form incidents of their own, one per statement.
-- Subsets ("بينهم أربعة ضباط": a smaller figure for the same group and outcome
-- in the same statement) stay in their incident but are flagged, so the
-- estimates never add them to the total.
with recursive

mentions as (
    select
        *,
        date_precision = 'day' and event_date is not null as is_anchor
    from {{ ref('int_mentions_enriched') }}
    where mention_scope = 'incident' and rejection_reason is null
),

pairs as (
    select * from {{ ref('int_mention_pairs') }}
),

-- both directions, so each mention sees all its partners as "other"
directed_pairs as (
    select mention_a as mention_id, mention_b as other_id, * exclude (mention_a, mention_b) from pairs
    union all
    select mention_b as mention_id, mention_a as other_id, * exclude (mention_a, mention_b) from pairs
),

anchor_edges as (
    select directed_pairs.mention_id, directed_pairs.other_id, directed_pairs.direct_link_rule
    from directed_pairs
    inner join mentions as this on directed_pairs.mention_id = this.mention_id and this.is_anchor
    inner join mentions as other on directed_pairs.other_id = other.mention_id and other.is_anchor
    where directed_pairs.direct_link_rule is not null
),

reach (mention_id, reached_id) as (
    select mention_id, mention_id from mentions where is_anchor
    union
    select reach.mention_id, anchor_edges.other_id
    from reach
    inner join anchor_edges on reach.reached_id = anchor_edges.mention_id
),

anchor_components as (
    select mention_id, min(reached_id) as root_mention_id
    from reach
    group by mention_id
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
                case direct_link_rule
                    when 'same_statement' then 1
                    when 'same_day_same_area' then 2
                    when 'same_day_same_perpetrator_same_article' then 3
                    else 4
                end,
                other_id
        ) as link_rank
    from anchor_edges
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
        max(case when directed_pairs.is_conflict then 1 else 0 end) as has_conflict,
        max(directed_pairs.evidence_score) as best_evidence,
        max(case when directed_pairs.same_document then 1 else 0 end) as shares_article,
        min(case when directed_pairs.same_document then directed_pairs.char_distance end) as nearest_char_distance
    from directed_pairs
    inner join mentions as this
        on directed_pairs.mention_id = this.mention_id and not this.is_anchor
    inner join members_{{ round - 1 }} as members on directed_pairs.other_id = members.mention_id
    where directed_pairs.mention_id not in (select mention_id from members_{{ round - 1 }})
    group by directed_pairs.mention_id, members.root_mention_id
),

attacher_choice_{{ round }} as (
    select
        evidence.*,
        row_number() over (
            partition by evidence.mention_id
            order by best_evidence desc, shares_article desc, nearest_char_distance, root_mention_id
        ) as choice_rank
    from attacher_evidence_{{ round }} as evidence
    inner join mentions on evidence.mention_id = mentions.mention_id
    where has_conflict = 0
        and (
            -- undated: only the article's own events, and more than one shared trait: a perpetrator
            -- alone is too weak ("the attack that day" may be one from a year before)
            (mentions.event_date is null and shares_article = 1 and best_evidence >= 2)
            -- coarse date: the window overlaps and two traits agree (or a restated figure)
            or (mentions.event_date is not null and best_evidence >= 2)
        )
),

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
),

members_{{ round }} as (
    select mention_id, root_mention_id from members_{{ round - 1 }}
    union all
    select mention_id, root_mention_id from attached_{{ round }}
),
{% endfor %}

attached as (
    select * from attached_1
    union all
    select * from attached_2
),

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
        mentions.char_start
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
    subsets.subset_of_mention_id is not null as is_subset
from with_incident
left join subsets on with_incident.mention_id = subsets.mention_id and subsets.whole_rank = 1
