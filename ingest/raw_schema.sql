-- The raw tables the ingester loads and dbt reads as sources (schema `raw`).
-- This file is the contract between ingest/ and dbt_project/: one statement per table.
CREATE SCHEMA IF NOT EXISTS raw;

-- One row per input document, loaded or quarantined: nothing is ever dropped silently.
CREATE TABLE IF NOT EXISTS raw.documents (
    content_hash      VARCHAR PRIMARY KEY,  -- sha256 of the file bytes: the stable document id
    doc_id            VARCHAR NOT NULL,     -- manifest doc_id, else the file stem (the id mentions carry)
    file_name         VARCHAR NOT NULL,
    source_path       VARCHAR,              -- path as given at ingest time
    published_at      DATE,                 -- from the manifest; NULL when unknown
    outlet            VARCHAR,
    url               VARCHAR,
    status            VARCHAR NOT NULL,     -- 'loaded' | 'quarantined'
    quarantine_reason VARCHAR,              -- ingest/corpus.py QUARANTINE_REASONS (+ too_many_mentions, extraction_failed)
    byte_size         BIGINT NOT NULL,
    char_count        BIGINT,
    body              VARCHAR,              -- decoded text (NULL when quarantined as binary / not UTF-8)
    extractor_version VARCHAR,              -- version that produced this document's mentions
    n_mentions        INTEGER,
    ingested_at       TIMESTAMP NOT NULL,
    -- Versions: a new text under a loaded doc_id is version n+1; earlier versions keep their rows
    -- and mentions (history), and only the current one feeds the marts.
    version           INTEGER,              -- 1, 2, ... per doc_id among loaded texts; NULL when never loaded
    is_current        BOOLEAN,              -- the loaded version with the highest number of its doc_id
    superseded_at     TIMESTAMP             -- when a later version replaced it; NULL while current
);

-- One row per extracted mention (MENTIONS.md fields + provenance).
CREATE TABLE IF NOT EXISTS raw.mentions (
    mention_id        VARCHAR PRIMARY KEY,  -- sha256(content_hash|char_start|char_end|outcome|victim|count)[:16]
    content_hash      VARCHAR NOT NULL,     -- -> raw.documents
    doc_id            VARCHAR NOT NULL,
    outcome           VARCHAR NOT NULL,
    count             INTEGER NOT NULL,
    count_qualifier   VARCHAR NOT NULL,
    victim            VARCHAR NOT NULL,
    perpetrator       VARCHAR,
    scope             VARCHAR NOT NULL,
    event_date        DATE,
    date_precision    VARCHAR NOT NULL,
    period_start      DATE,
    period_end        DATE,
    place             VARCHAR,
    admin1            VARCHAR,
    source            VARCHAR,
    char_start        INTEGER NOT NULL,
    char_end          INTEGER NOT NULL,
    sentence          VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    extracted_at      TIMESTAMP NOT NULL,
    date_basis        VARCHAR,              -- stated | relative | published | context (NULL when undated)
    count_rule        VARCHAR,              -- names of the extraction rules behind count, victim, date, place
    victim_rule       VARCHAR,
    date_rule         VARCHAR,
    place_rule        VARCHAR
);
-- Columns added after the first release: a warehouse built before them gets them here.
ALTER TABLE raw.mentions ADD COLUMN IF NOT EXISTS date_basis VARCHAR;
ALTER TABLE raw.mentions ADD COLUMN IF NOT EXISTS count_rule VARCHAR;
ALTER TABLE raw.mentions ADD COLUMN IF NOT EXISTS victim_rule VARCHAR;
ALTER TABLE raw.mentions ADD COLUMN IF NOT EXISTS date_rule VARCHAR;
ALTER TABLE raw.mentions ADD COLUMN IF NOT EXISTS place_rule VARCHAR;
-- How each document was read (ingest/corpus.py). raw.documents.body is the decoded text with any
-- byte-order mark removed and, for a saved web page, only its article text (trafilatura): every
-- raw.mentions.char_start/char_end is a character offset into that body, not into the file's bytes.
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS source_encoding VARCHAR;  -- utf-8 | utf-8-sig | utf-16 | utf-32 | cp1256 | iso8859_6 | ...
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS source_format VARCHAR;    -- text | html
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS version INTEGER;
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS is_current BOOLEAN;
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS superseded_at TIMESTAMP;
-- Before versions, a doc_id had at most one loaded text: that text is its version 1.
UPDATE raw.documents SET version = 1, is_current = true WHERE version IS NULL AND status = 'loaded';
UPDATE raw.documents SET is_current = false WHERE is_current IS NULL;

-- The document model (ingest/extract/layout.py): a post's own date read from its header, and
-- every region left out of the reading (header, counters, comments, hashtags, related links,
-- page furniture), so what was dropped is on record.
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS header_date DATE;          -- the post's own date line, if any
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS header_date_rule VARCHAR;  -- the layout rule that read it
CREATE TABLE IF NOT EXISTS raw.document_regions (
    content_hash      VARCHAR NOT NULL,     -- -> raw.documents
    region_no         INTEGER NOT NULL,     -- order in the text
    kind              VARCHAR NOT NULL,     -- header | engagement | comments | hashtag | related | furniture
    rule              VARCHAR NOT NULL,     -- the layout cue or rule that found it
    char_start        INTEGER NOT NULL,     -- span in raw.documents.body
    char_end          INTEGER NOT NULL
);

-- Mentions that broke the contract (ingest/contract.py), kept out of raw.mentions with the
-- name of the rule they failed; never fatal to a refresh.
CREATE TABLE IF NOT EXISTS raw.rejected_mentions (
    mention_id        VARCHAR NOT NULL,     -- as raw.mentions.mention_id (not a key: a broken mention may repeat one)
    content_hash      VARCHAR NOT NULL,     -- -> raw.documents
    doc_id            VARCHAR NOT NULL,
    reason            VARCHAR NOT NULL,     -- the failed rule: ingest/contract.py RULES
    detail            VARCHAR,              -- the values that rule looked at
    mention_json      VARCHAR NOT NULL,     -- the whole mention as extracted (JSON)
    extractor_version VARCHAR NOT NULL,
    rejected_at       TIMESTAMP NOT NULL
);
