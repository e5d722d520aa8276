{#- UCDP ordering: low <= best <= high on every row. -#}
{% test low_best_high_ordered(model, low='low', best='best', high='high') %}
select *
from {{ model }}
where not ({{ low }} <= {{ best }} and {{ best }} <= {{ high }})
{% endtest %}
