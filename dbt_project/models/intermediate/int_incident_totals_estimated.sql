-- Total victims per incident x outcome, all groups together.
-- Each statement (one sentence of one article) that reports the outcome gives one
-- candidate total: its 'unspecified' figure or the sum of its group figures,
-- whichever is larger (subsets left out). A statement that names only minor groups
-- ("بين القتلى سبعة عسكريين") is partial: it bounds nothing, so only statements with
-- an 'unspecified' figure or with the incident's largest group are candidates.
-- best follows the group rules (macros/best_figure_order.sql: a report of the incident's
-- own day, the most trusted source, the total most reports give, the latest report, the
-- highest figure) but is never below the sum of the group estimates; low / high are the
-- smallest / largest candidate in best's tier (own-day statements when there are any).
with figures as (
    select * from {{ ref('int_incident_figures_ranked') }}
),

group_estimates as (
    select * from {{ ref('int_incident_groups_estimated') }}
),

main_group as (
    select incident_id, outcome, victim as main_victim
    from (
        select
            incident_id,
            outcome,
            victim,
            row_number() over (partition by incident_id, outcome order by best desc, victim) as size_rank
        from group_estimates
        where victim <> 'unspecified'
    ) as sized
    where size_rank = 1
),

statement_groups as (
    select
        incident_id,
        outcome,
        statement_id,
        victim,
        max(reported_count) as reported_count,
        min(best_priority) as best_priority,
        max(published_at) as published_at,
        min(doc_id) as doc_id,
        bool_or(is_same_day) as is_same_day,
        bool_and(is_updated_in_report) as is_updated_in_report,
        bool_and(is_raised_by_later_report) as is_raised_by_later_report,
        bool_or(is_timely_report) as is_timely_report
    from figures
    group by incident_id, outcome, statement_id, victim
),

statements as (
    select
        statement_groups.incident_id,
        statement_groups.outcome,
        statement_groups.statement_id,
        greatest(
            coalesce(max(case when statement_groups.victim = 'unspecified' then statement_groups.reported_count end), 0),
            coalesce(sum(case when statement_groups.victim <> 'unspecified' then statement_groups.reported_count end), 0)
        ) as statement_total,
        max(case
            when statement_groups.victim = 'unspecified' then 1
            when statement_groups.victim = main_group.main_victim then 1
            when main_group.main_victim is null then 1
            else 0
        end) as is_candidate,
        min(statement_groups.best_priority) as best_priority,
        max(statement_groups.published_at) as published_at,
        min(statement_groups.doc_id) as doc_id,
        bool_or(statement_groups.is_same_day) as is_same_day,
        bool_and(statement_groups.is_updated_in_report) as is_updated_in_report,
        bool_and(statement_groups.is_raised_by_later_report) as is_raised_by_later_report,
        bool_or(statement_groups.is_timely_report) as is_timely_report
    from statement_groups
    left join main_group
        on statement_groups.incident_id = main_group.incident_id
        and statement_groups.outcome = main_group.outcome
    group by statement_groups.incident_id, statement_groups.outcome, statement_groups.statement_id
),

candidate_statements as (
    select
        statements.*,
        {{ count_distinct_over('doc_id', 'partition by incident_id, outcome, statement_total') }} as n_reports_agreeing
    from statements
    where is_candidate = 1
),

ranked as (
    select
        candidate_statements.*,
        row_number() over (
            partition by incident_id, outcome
            order by {{ best_figure_order('statement_total', 'statement_id') }}
        ) as best_rank
    from candidate_statements
),

winners as (
    select * from ranked where best_rank = 1
),

runners_up as (
    select ranked.*
    from ranked
    inner join winners
        on ranked.incident_id = winners.incident_id
        and ranked.outcome = winners.outcome
    where ranked.statement_total <> winners.statement_total
    qualify row_number() over (partition by ranked.incident_id, ranked.outcome order by ranked.best_rank) = 1
),

decided as (
    select
        winners.incident_id,
        winners.outcome,
        winners.statement_total as rule_best,
        winners.is_same_day as best_is_same_day,
        {{ best_figure_rule('winners', 'runners_up', 'statement_total') }} as deciding_rule
    from winners
    left join runners_up
        on winners.incident_id = runners_up.incident_id
        and winners.outcome = runners_up.outcome
),

candidates as (
    select
        ranked.incident_id,
        ranked.outcome,
        decided.rule_best,
        decided.deciding_rule,
        min(ranked.statement_total) filter (where ranked.is_same_day = decided.best_is_same_day) as candidate_low,
        max(ranked.statement_total) filter (where ranked.is_same_day = decided.best_is_same_day) as candidate_high,
        count(*) as n_candidate_statements
    from ranked
    inner join decided
        on ranked.incident_id = decided.incident_id
        and ranked.outcome = decided.outcome
    group by ranked.incident_id, ranked.outcome, decided.rule_best, decided.deciding_rule
),

group_sums as (
    select incident_id, outcome, sum(additive_best) as sum_of_groups
    from group_estimates
    group by incident_id, outcome
),

combined as (
    select
        candidates.incident_id,
        candidates.outcome,
        greatest(candidates.rule_best, group_sums.sum_of_groups) as best,
        candidates.candidate_low,
        candidates.candidate_high,
        group_sums.sum_of_groups,
        candidates.n_candidate_statements,
        case
            when group_sums.sum_of_groups > candidates.rule_best then 'sum_of_group_estimates'
            when candidates.n_candidate_statements = 1 then 'single_report'
            else candidates.deciding_rule
        end as best_rule
    from candidates
    inner join group_sums
        on candidates.incident_id = group_sums.incident_id
        and candidates.outcome = group_sums.outcome
)

select
    incident_id,
    outcome,
    best,
    least(candidate_low, best) as low,
    greatest(candidate_high, best) as high,
    best_rule,
    sum_of_groups,
    n_candidate_statements
from combined
