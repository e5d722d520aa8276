-- UCDP-style estimates per incident x outcome x victim group.
--   best: the group's first-ranked figure (int_incident_figures_ranked, named rules in
--         macros/best_figure_order.sql: a report of the incident's own day, the most
--         trusted source, the figure most reports give, the latest report, the highest
--         figure). best_rule names the rule that decided against the runner-up (the
--         best-ranked figure with another value); single_report / reports_agree when
--         there was nothing to decide.
--   low / high: the smallest / largest figure of the reports in best's tier: when the
--         incident's own-day reports give figures, undated or other-day ones attached to
--         it (recaps, background) do not widen the range (range_rule).
-- Subset mentions ("بينهم ...") never count. An 'unspecified' total that the
-- specific groups of the same incident add up to (61 civilians + 7 regime = 68)
-- agrees with them: only what it has beyond their sum (additive_*) may be added
-- to actor totals, so nobody is counted twice.
with figures as (
    select * from {{ ref('int_incident_figures_ranked') }}
),

winners as (
    select * from figures where figure_rank = 1
),

runners_up as (
    select figures.*
    from figures
    inner join winners
        on figures.incident_id = winners.incident_id
        and figures.outcome = winners.outcome
        and figures.victim = winners.victim
    where figures.reported_count <> winners.reported_count
    qualify row_number() over (
        partition by figures.incident_id, figures.outcome, figures.victim order by figures.figure_rank
    ) = 1
),

decided as (
    select
        winners.incident_id,
        winners.outcome,
        winners.victim,
        winners.reported_count as best,
        winners.is_same_day as best_is_same_day,
        {{ best_figure_rule('winners', 'runners_up', 'reported_count') }} as deciding_rule,
        winners.mention_id as best_mention_id,
        winners.source as best_source,
        winners.count_qualifier as best_count_qualifier
    from winners
    left join runners_up
        on winners.incident_id = runners_up.incident_id
        and winners.outcome = runners_up.outcome
        and winners.victim = runners_up.victim
),

group_estimates as (
    select
        figures.incident_id,
        figures.outcome,
        figures.victim,
        decided.best,
        min(figures.reported_count) filter (where figures.is_same_day = decided.best_is_same_day) as low,
        max(figures.reported_count) filter (where figures.is_same_day = decided.best_is_same_day) as high,
        case when count(*) = 1 then 'single_report' else decided.deciding_rule end as best_rule,
        case
            when count(*) filter (where figures.is_same_day <> decided.best_is_same_day) > 0
                then 'same_day_reports'
            else 'all_reports'
        end as range_rule,
        decided.best_mention_id,
        decided.best_source,
        decided.best_count_qualifier,
        count(*) as n_figures,
        count(distinct figures.doc_id) as n_documents,
        count(distinct figures.source) as n_sources
    from figures
    inner join decided
        on figures.incident_id = decided.incident_id
        and figures.outcome = decided.outcome
        and figures.victim = decided.victim
    group by
        figures.incident_id, figures.outcome, figures.victim, decided.best, decided.best_is_same_day,
        decided.deciding_rule, decided.best_mention_id, decided.best_source, decided.best_count_qualifier
),

specific_group_sums as (
    select
        incident_id,
        outcome,
        sum(best) as best,
        sum(low) as low,
        sum(high) as high
    from group_estimates
    where victim <> 'unspecified'
    group by incident_id, outcome
),

with_overlap as (
    select
        group_estimates.*,
        case
            when group_estimates.victim <> 'unspecified' or specific_group_sums.incident_id is null then 'none'
            when group_estimates.best = specific_group_sums.best then 'parts_sum_to_total'
            when group_estimates.best > specific_group_sums.best then 'total_includes_parts'
            else 'parts_exceed_total'
        end as overlap_rule,
        case
            when group_estimates.victim = 'unspecified'
                then greatest(group_estimates.best - coalesce(specific_group_sums.best, 0), 0)
            else group_estimates.best
        end as additive_best,
        case
            when group_estimates.victim = 'unspecified'
                then greatest(group_estimates.low - coalesce(specific_group_sums.low, 0), 0)
            else group_estimates.low
        end as additive_low_raw,
        case
            when group_estimates.victim = 'unspecified'
                then greatest(group_estimates.high - coalesce(specific_group_sums.high, 0), 0)
            else group_estimates.high
        end as additive_high_raw
    from group_estimates
    left join specific_group_sums
        on group_estimates.incident_id = specific_group_sums.incident_id
        and group_estimates.outcome = specific_group_sums.outcome
)

select
    incident_id,
    outcome,
    victim,
    best,
    low,
    high,
    best_rule,
    range_rule,
    best_mention_id,
    best_source,
    best_count_qualifier,
    n_figures,
    n_documents,
    n_sources,
    overlap_rule,
    additive_best,
    least(additive_low_raw, additive_best) as additive_low,
    greatest(additive_high_raw, additive_best) as additive_high
from with_overlap
