{#- First and last day an event can fall on, given its date and date_precision:
    a day-precise date is its own window, a month-precise one spans the month,
    a year-precise one the year; unknown precision has no window. -#}
{% macro date_window_start(date_col, precision_col) -%}
    case {{ precision_col }}
        when 'day' then {{ date_col }}
        when 'month' then cast({{ dbt.date_trunc('month', date_col) }} as date)
        when 'year' then cast({{ dbt.date_trunc('year', date_col) }} as date)
    end
{%- endmacro %}

{% macro date_window_end(date_col, precision_col) -%}
    case {{ precision_col }}
        when 'day' then {{ date_col }}
        when 'month' then cast({{ dbt.last_day(date_col, 'month') }} as date)
        when 'year' then cast({{ dbt.last_day(date_col, 'year') }} as date)
    end
{%- endmacro %}
