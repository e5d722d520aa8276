-- One row per figure an incident's reports give: each non-subset mention linked to an
-- incident, with its source's trust (seeds/source_priority.csv; 99 for a source it does
-- not list), whether it is dated to the incident's own day (is_same_day), how many reports
-- give the same figure for the group (n_reports_agreeing), and its rank within its
-- incident x outcome x victim group (figure_rank 1 is the group's best figure, named rules
-- in macros/best_figure_order.sql). is_updated_in_report marks a figure its own report
-- later raises ("وبذلك يرتفع عدد الضحايا إلى 3": the extractor's running_total count rule);
-- is_raised_by_later_report a figure another timely report, published on a later day and at
-- least as close to the incident's day, gives higher (a toll only grows: two posts repeating
-- the first count of 2 do not outvote the next day's 4);
-- is_timely_report a report published within var recap_after_days of the incident (a
-- later one is a recap or background). Subset mentions ("بينهم ...") never count. The one
-- place where figures meet incidents: int_incident_groups_estimated and
-- int_incident_totals_estimated both read it.
with links as (
    select * from {{ ref('int_mentions_linked') }}
),

mentions as (
    select * from {{ ref('int_mentions_enriched') }}
),

incidents as (
    select * from {{ ref('int_incidents_resolved') }}
),

source_priority as (
    select * from {{ ref('source_priority') }}
),

figures as (
    select
        links.incident_id,
        mentions.outcome,
        mentions.victim,
        mentions.mention_id,
        mentions.statement_id,
        mentions.doc_id,
        mentions.source,
        mentions.published_at,
        mentions.reported_count,
        mentions.count_qualifier,
        mentions.count_rule,
        coalesce(source_priority.best_priority, 99) as best_priority,
        -- published long after the incident: a recap, not an update of the toll
        coalesce(
            {{ dbt.datediff('incidents.event_date', 'mentions.published_at', 'day') }} <= {{ var('recap_after_days') }},
            true
        ) as is_timely_report,
        -- the incident's date is a day, and so is the figure's, at most a day off (the linker's
        -- own tolerance); an undated or month-precise figure attached to the incident is not
        coalesce(
            mentions.date_precision = 'day'
            and incidents.date_precision = 'day'
            and abs({{ dbt.datediff('incidents.event_date', 'mentions.event_date', 'day') }}) <= 1,
            false
        ) as is_same_day
    from links
    inner join mentions on links.mention_id = mentions.mention_id
    inner join incidents on links.incident_id = incidents.incident_id
    left join source_priority on mentions.source = source_priority.source
    where not links.is_subset
),

running_totals as (
    -- the largest running total ("يرتفع ... إلى") each report gives for the group
    select incident_id, outcome, victim, doc_id, max(reported_count) as running_total
    from figures
    where count_rule = 'running_total'
    group by incident_id, outcome, victim, doc_id
),

agreement as (
    select incident_id, outcome, victim, reported_count, count(distinct doc_id) as n_reports_agreeing
    from figures
    group by incident_id, outcome, victim, reported_count
),

with_agreement as (
    select
        figures.*,
        agreement.n_reports_agreeing
    from figures
    inner join agreement
        on figures.incident_id = agreement.incident_id
        and figures.outcome = agreement.outcome
        and figures.victim = agreement.victim
        and figures.reported_count = agreement.reported_count
),

with_update as (
    select
        with_agreement.*,
        coalesce(
            with_agreement.count_rule <> 'running_total'
            and running_totals.running_total > with_agreement.reported_count,
            false
        ) as is_updated_in_report
    from with_agreement
    left join running_totals
        on with_agreement.incident_id = running_totals.incident_id
        and with_agreement.outcome = running_totals.outcome
        and with_agreement.victim = running_totals.victim
        and with_agreement.doc_id = running_totals.doc_id
),

later_tolls as (
    -- figures a later timely report raises: same group, another report published on a later
    -- day, no further from the incident's day, with a larger count
    select distinct earlier.mention_id
    from with_update as earlier
    inner join with_update as later
        on earlier.incident_id = later.incident_id
        and earlier.outcome = later.outcome
        and earlier.victim = later.victim
        and earlier.doc_id <> later.doc_id
        and later.published_at > earlier.published_at
        and later.reported_count > earlier.reported_count
        and later.is_timely_report
        and (later.is_same_day or not earlier.is_same_day)
),

with_later as (
    select
        with_update.*,
        later_tolls.mention_id is not null as is_raised_by_later_report
    from with_update
    left join later_tolls on with_update.mention_id = later_tolls.mention_id
)

select
    with_later.*,
    row_number() over (
        partition by incident_id, outcome, victim
        order by {{ best_figure_order('reported_count', 'mention_id') }}
    ) as figure_rank
from with_later
