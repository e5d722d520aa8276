-- Every input document, loaded or quarantined, without its body text; every version of a
-- doc_id is a row (is_current marks the one the marts use).
select
    content_hash,
    doc_id,
    file_name,
    published_at,
    outlet,
    url,
    document_status,
    quarantine_reason,
    byte_size,
    char_count,
    extractor_version,
    n_mentions,
    ingested_at,
    version,
    is_current,
    superseded_at
from {{ ref('stg_hasila_raw__documents') }}
