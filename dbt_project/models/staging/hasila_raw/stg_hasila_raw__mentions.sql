with source as (
    select * from {{ source('hasila_raw', 'mentions') }}
),

renamed as (
    select
        mention_id,
        content_hash,
        doc_id,
        outcome,
        cast({{ adapter.quote("count") }} as integer) as reported_count,
        count_qualifier,
        victim,
        perpetrator,
        scope as mention_scope,
        cast(event_date as date) as event_date,
        date_precision,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        nullif(trim(place), '') as place_name_ar,
        nullif(trim(admin1), '') as admin1,
        source as attributed_source,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        sentence,
        extractor_version,
        cast(extracted_at as timestamp) as extracted_at,
        -- how the date was found and the names of the rules behind each field (provenance)
        date_basis,
        count_rule,
        victim_rule,
        date_rule,
        place_rule
    from source
)

select * from renamed
