-- The canonical events table: one row per touchpoint event from any source
-- (../shared/reference/export-formats.md §2). Times are naive UTC. Partitioned by event_week,
-- the Monday (UTC) of occurred_at, so a week can be deleted and rebuilt on its own.
-- Columns of nearly unique values (keys, hashes, locators, raw times, properties) are stored
-- uncompressed: DuckDB would analyse every block for a dictionary or FSST encoding that does not
-- pay off, which measured 40% of the cost of writing events.
create table if not exists events (
    -- keys and lineage
    event_key               varchar using compression uncompressed not null,
    event_week              date not null,
    source_system           varchar not null,
    source_category         varchar not null,
    source_object           varchar not null,
    source_event_id         varchar using compression uncompressed not null,
    raw_file                varchar not null,
    raw_record_locator      varchar using compression uncompressed not null,

    -- what happened
    event_type              varchar not null,
    event_name_raw          varchar,

    -- when
    occurred_at             timestamp not null,
    occurred_at_raw         varchar using compression uncompressed,
    occurred_at_tz_assumed  varchar,
    time_precision          varchar,
    received_at             timestamp,
    ingested_at             timestamp not null,

    -- who
    email_norm              varchar,
    email_sha256            varchar using compression uncompressed,
    email_md5               varchar using compression uncompressed,
    user_id                 varchar,
    anonymous_id            varchar using compression uncompressed,
    source_person_id        varchar,
    source_person_type      varchar,
    account_id              varchar,
    session_id              varchar,

    -- about what
    object_type             varchar,
    object_id               varchar using compression uncompressed,
    campaign_id             varchar,
    campaign_name           varchar,
    utm_source              varchar,
    utm_medium              varchar,
    utm_campaign            varchar,
    utm_term                varchar,
    utm_content             varchar,
    url                     varchar,
    referrer                varchar,
    channel                 varchar,
    stage_from              varchar,
    stage_to                varchar,
    value_numeric           double,
    currency                varchar,
    score                   double,
    score_scale             varchar,
    text                    varchar,
    properties              json using compression uncompressed,
    is_deleted              boolean not null default false
);
