{#- How an incident's best figure is chosen among several reports, as named rules in order
    (the names travel with the figure as best_rule, macros best_figure_rule below):
      same_day_report      a figure dated to the incident's own day (+-1) before an undated,
                           coarse or other-day one: those are mostly recaps, background or another
                           strike attached to the article's incident;
      updated_in_report    a figure its own report does not later raise ("وبذلك يرتفع العدد إلى 3")
                           before one it does: the report's running total supersedes its first count;
      most_trusted_source  the most trusted source (seeds/source_priority.csv: SOHR first, UCDP
                           practice for Syria);
      raised_by_later_report  a figure no later timely report raises (published on a later day,
                           no further from the incident's day, larger) before one that is: a toll
                           only grows, so a first count repeated by several posts does not outvote
                           the next day's higher toll;
      most_reported        the figure most reports give (corroboration; one report repeating a
                           figure counts once);
      timely_report        a report published within var recap_after_days of the incident before a
                           later one: a toll is updated over days, a report weeks later is a recap;
      latest_report        the latest-published report (a toll is updated over time);
      highest_figure       within one report the highest figure (an updated toll only grows);
    figure_id breaks the remaining ties so the pick is deterministic. Used by
    int_incident_groups_estimated (per victim group) and int_incident_totals_estimated (per
    statement total); both need the columns is_same_day, is_updated_in_report, best_priority, is_raised_by_later_report,
    n_reports_agreeing, is_timely_report and published_at. -#}
{% macro best_figure_order(figure_col, figure_id_col) -%}
    is_same_day desc, is_updated_in_report, best_priority, is_raised_by_later_report,
    n_reports_agreeing desc,
    is_timely_report desc, published_at desc nulls last,
    {{ figure_col }} desc, {{ figure_id_col }}
{%- endmacro %}

{#- The name of the rule that put the winner (first-ranked figure) before the runner-up (the
    best-ranked figure with another value): the first key of best_figure_order where they
    differ. Without a runner-up every report agrees ('reports_agree'). -#}
{% macro best_figure_rule(winner, runner_up, figure_col) -%}
    case
        when {{ runner_up }}.{{ figure_col }} is null then 'reports_agree'
        when {{ winner }}.is_same_day and not {{ runner_up }}.is_same_day then 'same_day_report'
        when {{ runner_up }}.is_updated_in_report and not {{ winner }}.is_updated_in_report
            then 'updated_in_report'
        when {{ winner }}.best_priority < {{ runner_up }}.best_priority then 'most_trusted_source'
        when {{ runner_up }}.is_raised_by_later_report and not {{ winner }}.is_raised_by_later_report
            then 'raised_by_later_report'
        when {{ winner }}.n_reports_agreeing > {{ runner_up }}.n_reports_agreeing then 'most_reported'
        when {{ winner }}.is_timely_report and not {{ runner_up }}.is_timely_report then 'timely_report'
        when {{ winner }}.published_at > {{ runner_up }}.published_at
            or ({{ runner_up }}.published_at is null and {{ winner }}.published_at is not null)
            then 'latest_report'
        else 'highest_figure'
    end
{%- endmacro %}
