-- UCDP-style estimates per incident x outcome x victim group.
--   best: the group's first-ranked figure (int_incident_figures_ranked: the most
--         trusted source in the latest-published report; within one report the
--         highest figure). best_rule says which applied.
--   low / high: the smallest / largest figure any report gave for the group.
-- Subset mentions ("بينهم ...") never count. An 'unspecified' total that the
-- specific groups of the same incident add up to (61 civilians + 7 regime = 68)
-- agrees with them: only what it has beyond their sum (additive_*) may be added
-- to actor totals, so nobody is counted twice.
with figures as (
    select * from {{ ref('int_incident_figures_ranked') }}
),

group_estimates as (
    select
        incident_id,
        outcome,
        victim,
        max(case when figure_rank = 1 then reported_count end) as best,
        min(reported_count) as low,
        max(reported_count) as high,
        case
            when count(*) = 1 then 'single_report'
            when max(case when figure_rank = 1 then source end) = 'sohr' then 'latest_sohr_figure'
            else 'latest_figure'
        end as best_rule,
        max(case when figure_rank = 1 then mention_id end) as best_mention_id,
        max(case when figure_rank = 1 then source end) as best_source,
        max(case when figure_rank = 1 then count_qualifier end) as best_count_qualifier,
        count(*) as n_figures,
        count(distinct doc_id) as n_documents,
        count(distinct source) as n_sources
    from figures
    group by incident_id, outcome, victim
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
