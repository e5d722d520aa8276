-- How much of a tally's growth the incidents account for. A tally series is one
-- source counting one group and outcome from one start date. Each report is set
-- beside the previous one of its series: growth = value - previous value, over the
-- window (previous as-of date, as-of date]; the first report covers
-- [period_start, as-of date]. incident_* sums the additive incident estimates for the
-- same group and outcome with an event date in that window.
with reported_tallies as (
    select * from {{ ref('fct_reported_tallies') }}
),

incident_casualties as (
    select * from {{ ref('fct_incident_casualties') }}
),

tallies as (
    select * from reported_tallies
    -- a window needs both ends: a tally without an as-of date (no period end stated and no
    -- publication date, e.g. a corpus without manifest.csv) stays in fct_reported_tallies only
    where period_start is not null and as_of_date is not null and not is_subset
),

series as (
    select
        tallies.*,
        lag(value) over (
            partition by source, victim, outcome, period_start order by as_of_date, tally_id
        ) as previous_value,
        lag(as_of_date) over (
            partition by source, victim, outcome, period_start order by as_of_date, tally_id
        ) as previous_as_of_date
    from tallies
),

windows as (
    select
        series.*,
        coalesce({{ dbt.dateadd('day', 1, 'previous_as_of_date') }}, period_start) as window_start,
        as_of_date as window_end,
        value - coalesce(previous_value, 0) as growth
    from series
),

casualties as (
    select * from incident_casualties
    where event_date is not null and date_precision = 'day'
)

select
    windows.tally_id,
    windows.source,
    windows.victim,
    windows.outcome,
    windows.period_start,
    cast(windows.window_start as date) as window_start,
    windows.window_end,
    windows.value,
    cast(windows.previous_value as integer) as previous_value,
    cast(windows.growth as integer) as growth,
    cast(coalesce(sum(casualties.additive_best), 0) as integer) as incident_best,
    cast(coalesce(sum(casualties.additive_low), 0) as integer) as incident_low,
    cast(coalesce(sum(casualties.additive_high), 0) as integer) as incident_high,
    cast(count(distinct casualties.incident_id) as integer) as n_incidents,
    case
        when windows.growth > 0
            then cast(coalesce(sum(casualties.additive_best), 0) as double) / windows.growth
    end as coverage_ratio
from windows
left join casualties
    on casualties.victim = windows.victim
    and casualties.outcome = windows.outcome
    and casualties.event_date between windows.window_start and windows.window_end
group by
    windows.tally_id, windows.source, windows.victim, windows.outcome, windows.period_start,
    windows.window_start, windows.window_end, windows.value, windows.previous_value, windows.growth
