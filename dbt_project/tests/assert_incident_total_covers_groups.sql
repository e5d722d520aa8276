-- An incident's total best is never below what its groups add up to.
select totals.incident_id, totals.outcome, totals.best, totals.sum_of_groups
from {{ ref('int_incident_totals_estimated') }} as totals
where totals.best < totals.sum_of_groups
