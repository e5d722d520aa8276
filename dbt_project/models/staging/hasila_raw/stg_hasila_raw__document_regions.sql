with source as (
    select * from {{ source('hasila_raw', 'document_regions') }}
),

renamed as (
    select
        content_hash,
        cast(region_no as integer) as region_no,
        kind as region_kind,
        rule as layout_rule,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end
    from source
)

select * from renamed
