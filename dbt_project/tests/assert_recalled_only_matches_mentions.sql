-- fct_incidents.is_recalled_only says what its mentions say: true exactly when every mention that
-- joined the incident is a recap item (fct_mentions.is_recap_item); a likely duplicate is recalled only.
with members as (
    select
        incident_id,
        min(case when is_recap_item then 1 else 0 end) = 1 as every_mention_recalled
    from {{ ref('fct_mentions') }}
    where incident_id is not null
    group by incident_id
)

select incidents.incident_id
from {{ ref('fct_incidents') }} as incidents
inner join members on incidents.incident_id = members.incident_id
where incidents.is_recalled_only <> members.every_mention_recalled
    or (incidents.is_likely_duplicate and not incidents.is_recalled_only)
