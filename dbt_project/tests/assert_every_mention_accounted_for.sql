-- Every mention lands in exactly one place: an incident (incident scope), the
-- tally table (tally scope) or the rejected table, never none and never two.
with mentions as (
    select mention_id, mention_scope from {{ ref('stg_hasila_raw__mentions') }}
),

placements as (
    select mention_id, 'incident' as destination from {{ ref('int_mentions_linked') }}
    union all
    select tally_id, 'tally' from {{ ref('fct_reported_tallies') }}
    union all
    select mention_id, 'rejected' from {{ ref('int_mentions_rejected') }}
)

select mentions.mention_id, mentions.mention_scope, count(placements.mention_id) as n_placements
from mentions
left join placements on mentions.mention_id = placements.mention_id
group by mentions.mention_id, mentions.mention_scope
having count(placements.mention_id) <> 1
    or max(case
        when placements.destination = 'rejected' then 0
        when placements.destination = 'incident' and mentions.mention_scope = 'incident' then 0
        when placements.destination = 'tally' and mentions.mention_scope = 'tally' then 0
        else 1
    end) = 1
