-- An incident exists only because at least one mention joined it.
select incidents.incident_id
from {{ ref('fct_incidents') }} as incidents
left join {{ ref('int_mentions_linked') }} as links on incidents.incident_id = links.incident_id
where links.mention_id is null
