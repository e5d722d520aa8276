-- One row per figure an incident's reports give: each non-subset mention linked to an
-- incident, with its source's trust (seeds/source_priority.csv; 99 for a source it does
-- not list) and its rank within its incident x outcome x victim group (figure_rank 1 is
-- the group's best figure, macros/best_figure_order.sql). Subset mentions ("بينهم ...")
-- never count. The one place where figures meet incidents: int_incident_groups_estimated
-- and int_incident_totals_estimated both read it.
with links as (
    select * from {{ ref('int_mentions_linked') }}
),

mentions as (
    select * from {{ ref('int_mentions_enriched') }}
),

source_priority as (
    select * from {{ ref('source_priority') }}
),

figures as (
    select
        links.incident_id,
        mentions.outcome,
        mentions.victim,
        mentions.mention_id,
        mentions.statement_id,
        mentions.doc_id,
        mentions.source,
        mentions.published_at,
        mentions.reported_count,
        mentions.count_qualifier,
        coalesce(source_priority.best_priority, 99) as best_priority
    from links
    inner join mentions on links.mention_id = mentions.mention_id
    left join source_priority on mentions.source = source_priority.source
    where not links.is_subset
)

select
    figures.*,
    row_number() over (
        partition by incident_id, outcome, victim
        order by {{ best_figure_order('reported_count', 'mention_id') }}
    ) as figure_rank
from figures
