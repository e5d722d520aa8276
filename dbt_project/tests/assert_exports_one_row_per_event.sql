-- The exports are one row per event (ACLED, UCDP GED): an incident that only recalls one listed
-- already (fct_incidents.is_likely_duplicate) is never exported.
with exported as (
    select hasila_incident_id as incident_id, 'exp_acled_events' as export from {{ ref('exp_acled_events') }}
    union all
    select id as incident_id, 'exp_ucdp_ged_events' as export from {{ ref('exp_ucdp_ged_events') }}
)

select exported.export, exported.incident_id
from exported
inner join {{ ref('fct_incidents') }} as incidents on exported.incident_id = incidents.incident_id
where incidents.is_likely_duplicate
