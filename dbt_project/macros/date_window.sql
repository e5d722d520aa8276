{#- First and last day an event can fall on, given its date and date_precision:
    a day-precise date is its own window, a month-precise one spans the month,
    a year-precise one the year; unknown precision has no window. The window ends
    at the latest on `published_col`, the day the report came out: "in March",
    published on 10 March, is an event of 1-10 March, and must never join an
    incident dated after it was reported. -#}
{% macro date_window_start(date_col, precision_col) -%}
    case {{ precision_col }}
        when 'day' then {{ date_col }}
        when 'month' then cast({{ dbt.date_trunc('month', date_col) }} as date)
        when 'year' then cast({{ dbt.date_trunc('year', date_col) }} as date)
    end
{%- endmacro %}

{% macro date_window_end(date_col, precision_col, published_col) -%}
    case
        when {{ precision_col }} = 'day' then {{ date_col }}
        when {{ precision_col }} not in ('month', 'year') then null
        when {{ published_col }} < {{ _period_end(date_col, precision_col) }} then {{ published_col }}
        else {{ _period_end(date_col, precision_col) }}
    end
{%- endmacro %}

{% macro _period_end(date_col, precision_col) -%}
    cast(case {{ precision_col }}
        when 'month' then {{ dbt.last_day(date_col, 'month') }}
        when 'year' then {{ dbt.last_day(date_col, 'year') }}
    end as date)
{%- endmacro %}
