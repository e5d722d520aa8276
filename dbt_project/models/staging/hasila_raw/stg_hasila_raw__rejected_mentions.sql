with source as (
    select * from {{ source('hasila_raw', 'rejected_mentions') }}
),

renamed as (
    select
        mention_id,
        content_hash,
        doc_id,
        reason as rejection_rule,
        detail as rejection_detail,
        mention_json,
        extractor_version,
        cast(rejected_at as timestamp) as rejected_at
    from source
)

select * from renamed
