-- Every mention with where it went: the incident it joined (and by which rule),
-- the tally table, or the reason it was rejected. The analyst's audit trail.
with mentions as (
    select * from {{ ref('int_mentions_enriched') }}
),

links as (
    select * from {{ ref('int_mentions_linked') }}
),

rejected as (
    select * from {{ ref('int_mentions_rejected') }}
)

select
    mentions.mention_id,
    mentions.doc_id,
    mentions.content_hash,
    mentions.published_at,
    mentions.mention_scope,
    mentions.outcome,
    cast(mentions.reported_count as integer) as reported_count,
    mentions.count_qualifier,
    mentions.victim,
    mentions.perpetrator,
    mentions.event_date,
    mentions.date_precision,
    mentions.date_basis,
    mentions.place_name_ar,
    mentions.place_id,
    mentions.place_match_rule,
    mentions.admin1,
    mentions.source,
    mentions.char_start,
    mentions.char_end,
    mentions.sentence,
    -- the names of the extraction rules behind each field: a wrong figure traces back to its rule
    mentions.count_rule,
    mentions.victim_rule,
    mentions.date_rule,
    mentions.place_rule,
    links.incident_id,
    links.link_rule,
    links.linked_to_mention_id,
    coalesce(links.is_subset, false) as is_subset,
    links.subset_of_mention_id,
    links.is_recap_item,
    rejected.rejection_reason,
    case
        when rejected.mention_id is not null then 'rejected'
        when links.mention_id is not null then 'incident'
        else 'tally'
    end as destination
from mentions
left join links on mentions.mention_id = links.mention_id
left join rejected on mentions.mention_id = rejected.mention_id
