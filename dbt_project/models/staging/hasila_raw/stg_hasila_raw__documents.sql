with source as (
    select * from {{ source('hasila_raw', 'documents') }}
),

renamed as (
    select
        content_hash,
        doc_id,
        file_name,
        source_path,
        cast(published_at as date) as published_at,
        outlet,
        url,
        status as document_status,
        nullif(quarantine_reason, '') as quarantine_reason,
        cast(byte_size as bigint) as byte_size,
        cast(char_count as bigint) as char_count,
        body,
        extractor_version,
        cast(n_mentions as integer) as n_mentions,
        cast(ingested_at as timestamp) as ingested_at,
        status = 'loaded' as is_loaded,
        cast(version as integer) as version,
        -- rows written before versions existed (no loader ran since) are their doc_id's only text
        coalesce(is_current, status = 'loaded') as is_current,
        cast(superseded_at as timestamp) as superseded_at
    from source
)

select * from renamed
