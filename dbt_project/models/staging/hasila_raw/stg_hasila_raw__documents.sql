with source as (
    select * from {{ source('hasila_raw', 'documents') }}
),

renamed as (
    select
        content_hash,
        doc_id,
        file_name,
        source_path,
        -- the manifest's date, else the post's own date line (MENTIONS.md: a header date is the
        -- publication date when the manifest has none)
        coalesce(cast(published_at as date), cast(header_date as date)) as published_at,
        case
            when published_at is not null then 'manifest'
            when header_date is not null then 'page_header'
        end as published_at_basis,
        header_date_rule,
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
        cast(superseded_at as timestamp) as superseded_at,
        source_encoding,
        source_format
    from source
)

select * from renamed
