-- Every mention with its document's publication date, its date window, its place
-- resolved against the gazetteer (name/variants -> coordinates, with the governorate
-- centroid as fallback) and, where it cannot be used, the reason it is rejected.
--
-- Incremental: a row depends only on its mention, its document and the seeds, so a refresh
-- re-enriches the documents whose mentions or document row changed since the last build
-- (macro documents_to_reenrich) and keeps the rest. `hasila refresh` builds it whole
-- (--full-refresh) whenever the project or the seeds changed (ingest/dbt_runner.py
-- project_fingerprint); run by hand after changing a seed, pass --full-refresh too.
-- On Spark it is a table: dbt-spark's incremental strategies need Delta or Iceberg tables.
{{ config(
    materialized='incremental' if target.type == 'duckdb' else 'table',
    unique_key='content_hash',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    pre_hook="{% if is_incremental() %}delete from {{ this }} where content_hash not in
        (select content_hash from {{ ref('stg_hasila_raw__mentions') }}){% endif %}"
) }}

with documents as (
    select * from {{ ref('stg_hasila_raw__documents') }}
),

mentions as (
    select * from {{ ref('stg_hasila_raw__mentions') }}
    {% if is_incremental() %}
    where content_hash in ({{ documents_to_reenrich(ref('stg_hasila_raw__mentions'), 'documents', this) }})
    {% endif %}
),

place_names as (
    select * from {{ ref('int_place_names_normalized') }}
),

governorates as (
    select * from {{ ref('governorates') }}
),

place_name_affixes as (
    select * from {{ ref('place_name_affixes') }}
),

mentions_with_documents as (
    select
        mentions.*,
        documents.published_at,
        documents.outlet,
        coalesce(documents.is_loaded, false) as document_is_loaded,
        {{ regex_dialect(normalize_arabic('mentions.place_name_ar', 'place_name_affixes')) }} as place_normalized,
        -- "مدينة إدلب": a settlement prefix names the city, never the governorate that shares its name
        -- (regex_dialect over the whole test: fold_arabic's regexp_replace in the subquery needs it on Spark too)
        {{ regex_dialect(
            "coalesce(regexp_extract(lower(trim(" ~ fold_arabic('mentions.place_name_ar') ~ ")), '^(\S+)\s', 1) in ("
            ~ "select " ~ fold_arabic('form') ~ " from place_name_affixes where kind = 'prefix' and names_a_settlement"
            ~ "), false)"
        ) }} as place_says_settlement,
        {{ regex_dialect(arabic_skeleton(normalize_arabic('mentions.place_name_ar', 'place_name_affixes'))) }} as place_skeleton
    from mentions
    left join documents on mentions.content_hash = documents.content_hash
),

-- Spellings a mention's place name matches: exactly (after normalize_arabic), or, when
-- no spelling does, by its consonant skeleton where that stands for one known spelling
-- ("ديرك" for the gazetteer's "ديريك"). Two equi-joins, not one join on an OR.
exact_matches as (
    select m.mention_id, p.*, 'exact' as match_kind
    from mentions_with_documents as m
    inner join place_names as p on m.place_normalized = p.name_normalized
),

place_matches as (
    select * from exact_matches
    union all
    select m.mention_id, p.*, 'skeleton' as match_kind
    from mentions_with_documents as m
    inner join place_names as p on m.place_skeleton = p.name_skeleton and p.is_unique_skeleton
    where m.mention_id not in (select mention_id from exact_matches)
),

-- Candidate places for a mention's place name. A name can be ambiguous (many
-- villages share one); prefer a place inside the governorate the text names,
-- then the most specific feature, then the main name over a variant.
place_candidates as (
    select
        m.mention_id,
        p.place_id,
        p.name_ar,
        p.name_en,
        p.feature_type,
        p.feature_rank,
        p.admin1 as place_admin1,
        p.latitude,
        p.longitude,
        case
            when p.match_kind = 'skeleton' then 'gazetteer_skeleton'
            when p.spelling_kind = 'name' then 'gazetteer_name'
            else 'gazetteer_variant'
        end as place_match_rule,
        row_number() over (
            partition by m.mention_id
            order by
                case when m.admin1 is null or m.admin1 = p.admin1 then 0 else 1 end,
                -- a bare governorate name is the governorate ("قصف على إدلب"); after a settlement prefix, the city
                case when p.feature_type = 'governorate' and not m.place_says_settlement then 0 else 1 end,
                p.feature_rank,
                case when p.spelling_kind = 'name' then 0 else 1 end,
                p.place_id
        ) as candidate_rank
    from mentions_with_documents as m
    inner join place_matches as p on m.mention_id = p.mention_id
    -- a place in another governorate than the text says is a different place with the same name
    where m.admin1 is null or m.admin1 = p.admin1
),

best_place as (
    select * from place_candidates where candidate_rank = 1
),

resolved as (
    select
        m.*,
        best_place.place_id,
        best_place.name_ar as place_gazetteer_name_ar,
        best_place.name_en as place_name_en,
        best_place.feature_type as place_feature_type,
        best_place.feature_rank as place_feature_rank,
        coalesce(m.admin1, best_place.place_admin1) as resolved_admin1,
        case
            when best_place.place_id is not null then best_place.place_match_rule
            when m.admin1 is not null then 'admin1_only'
            else 'none'
        end as place_match_rule,
        best_place.latitude as place_latitude,
        best_place.longitude as place_longitude
    from mentions_with_documents as m
    left join best_place on m.mention_id = best_place.mention_id
)

select
    resolved.mention_id,
    resolved.content_hash,
    resolved.doc_id,
    resolved.published_at,
    resolved.outlet,
    resolved.outcome,
    resolved.reported_count,
    resolved.count_qualifier,
    resolved.victim,
    resolved.perpetrator,
    resolved.mention_scope,
    resolved.event_date,
    resolved.date_precision,
    resolved.date_basis,
    {{ date_window_start('resolved.event_date', 'resolved.date_precision') }} as date_window_start,
    {{ date_window_end('resolved.event_date', 'resolved.date_precision', 'resolved.published_at') }} as date_window_end,
    resolved.period_start,
    resolved.period_end,
    coalesce(resolved.period_end, resolved.published_at) as as_of_date,
    resolved.place_name_ar,
    resolved.place_id,
    resolved.place_gazetteer_name_ar,
    resolved.place_name_en,
    resolved.place_feature_type,
    resolved.place_feature_rank,
    resolved.place_match_rule,
    resolved.resolved_admin1 as admin1,
    coalesce(resolved.place_latitude, governorates.latitude) as latitude,
    coalesce(resolved.place_longitude, governorates.longitude) as longitude,
    case
        when resolved.place_latitude is not null and resolved.place_feature_rank < 4 then 'place'
        when resolved.place_latitude is not null or governorates.latitude is not null then 'admin1'
        else 'none'
    end as geo_precision,
    coalesce(resolved.attributed_source, 'unattributed') as source,
    resolved.attributed_source is not null as is_attributed,
    resolved.char_start,
    resolved.char_end,
    resolved.sentence,
    {{ dbt.hash(dbt.concat(['resolved.content_hash', "'|'", 'resolved.sentence'])) }} as statement_id,
    -- what the named groups of this statement add up to for this outcome ("61 civilians and 7 soldiers")
    sum(case when resolved.victim <> 'unspecified' then resolved.reported_count end) over (
        partition by resolved.content_hash, resolved.sentence, resolved.outcome, resolved.mention_scope
    ) as statement_group_sum,
    resolved.extractor_version,
    resolved.extracted_at,
    resolved.count_rule,
    resolved.victim_rule,
    resolved.date_rule,
    resolved.place_rule,
    case
        when not resolved.document_is_loaded then 'document_not_loaded'
        when resolved.content_hash in (select content_hash from documents where not is_current) then 'superseded_version'
        when resolved.reported_count <= 0 then 'non_positive_count'
        when resolved.mention_scope = 'incident' and resolved.event_date > resolved.published_at
            then 'event_after_publication'
        when resolved.mention_scope = 'tally'
            and resolved.period_start > coalesce(resolved.period_end, resolved.published_at)
            then 'tally_period_inverted'
        -- plausibility: dates outside the war or in the future come from background sentences or a
        -- wrong publication date; they are set aside here so the marts' checks hold for the rest
        when resolved.event_date < cast('{{ var("conflict_start") }}' as date)
            or (resolved.mention_scope = 'tally' and resolved.period_start < cast('{{ var("conflict_start") }}' as date))
            then 'date_before_conflict'
        when resolved.event_date > current_date or resolved.period_end > current_date
            or resolved.period_start > current_date
            then 'date_in_future'
        when resolved.mention_scope = 'tally' and resolved.period_end > resolved.published_at
            then 'tally_period_after_publication'
    end as rejection_reason
from resolved
left join governorates on resolved.resolved_admin1 = governorates.admin1
