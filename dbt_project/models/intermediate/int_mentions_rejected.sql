-- Mentions left out of both incidents and tallies, with the reason. Together with
-- int_mentions_linked and fct_reported_tallies this accounts for every mention.
with mentions as (
    select * from {{ ref('int_mentions_enriched') }}
),

links as (
    select * from {{ ref('int_mentions_linked') }}
)

select
    mentions.mention_id,
    mentions.content_hash,
    mentions.doc_id,
    mentions.mention_scope,
    mentions.outcome,
    mentions.victim,
    mentions.reported_count,
    mentions.event_date,
    mentions.published_at,
    coalesce(mentions.rejection_reason, 'unresolved') as rejection_reason
from mentions
left join links on mentions.mention_id = links.mention_id
where mentions.rejection_reason is not null
    -- a safety net: a usable incident mention that resolution did not place
    or (mentions.mention_scope = 'incident' and links.mention_id is null)
