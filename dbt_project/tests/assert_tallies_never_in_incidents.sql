-- Tallies count over a period; adding them to an incident would double count.
select links.mention_id
from {{ ref('int_mentions_linked') }} as links
inner join {{ ref('stg_hasila_raw__mentions') }} as mentions on links.mention_id = mentions.mention_id
where mentions.mention_scope <> 'incident'
