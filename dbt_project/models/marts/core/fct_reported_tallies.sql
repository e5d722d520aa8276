-- Cumulative counts as reported ("1339 killed since 24 March 2019"). Tallies are
-- never added to incidents; they are compared with them in fct_tally_coverage.
with enriched_mentions as (
    select * from {{ ref('int_mentions_enriched') }}
),

mentions as (
    select * from enriched_mentions
    where mention_scope = 'tally' and rejection_reason is null
),

-- a smaller figure for the same group and outcome in the same statement is a
-- breakdown of the larger one ("7 arrested, among them a leader")
subsets as (
    select distinct part.mention_id
    from mentions as part
    inner join mentions as whole
        on part.statement_id = whole.statement_id
        and part.outcome = whole.outcome
        and part.victim = whole.victim
        and part.reported_count < whole.reported_count
)

select
    mentions.mention_id as tally_id,
    mentions.victim,
    mentions.outcome,
    mentions.perpetrator,
    mentions.period_start,
    mentions.period_end,
    mentions.as_of_date,
    cast(mentions.reported_count as integer) as value,
    mentions.count_qualifier,
    mentions.source,
    mentions.doc_id,
    mentions.content_hash,
    mentions.published_at,
    mentions.admin1,
    subsets.mention_id is not null as is_subset
from mentions
left join subsets on mentions.mention_id = subsets.mention_id
