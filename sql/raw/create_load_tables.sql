-- Bookkeeping shared by every raw load: one ledger row per file load, one reject row per bad row.
create table if not exists load_ledger (
    load_id         varchar primary key,
    source          varchar not null,
    object          varchar not null,
    file            varchar not null,
    file_sha256     varchar not null,
    loaded_at       timestamp not null,
    rows_read       bigint not null,
    rows_loaded     bigint not null,
    rows_rejected   bigint not null,
    rows_duplicate  bigint not null
);

create table if not exists load_rejects (
    load_id     varchar not null,
    source      varchar not null,
    object      varchar not null,
    file        varchar not null,
    row_number  bigint not null,
    field       varchar,
    reason      varchar not null,
    raw_text    varchar,
    loaded_at   timestamp not null
);

-- Time parsing shared by the parse_* files and the staging views. Every result is naive UTC
-- (the session zone is pinned to UTC). NULL means "does not parse"; the parse files reject it.
create or replace macro epoch_s_to_utc(v) as
    make_timestamp(cast(round(try_cast(trim(cast(v as varchar)) as double) * 1000000) as bigint));

create or replace macro epoch_ms_to_utc(v) as
    make_timestamp(cast(round(try_cast(trim(cast(v as varchar)) as double) * 1000) as bigint));

create or replace macro has_utc_offset(v) as
    regexp_matches(trim(v), '(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$');

-- ISO-8601 with an offset or Z becomes UTC; a naive value is read in `zone`.
create or replace macro any_to_utc(v, zone) as
    case
        when v is null or trim(v) = '' then null
        when has_utc_offset(v) then try_cast(try_cast(trim(v) as timestamptz) as timestamp)
        else try_cast(timezone(zone, try_cast(trim(v) as timestamp)) as timestamp)
    end;

create or replace macro is_plausible_time(ts) as
    ts >= timestamp '2000-01-01' and ts < timestamp '2100-01-01';

create or replace macro normalise_email(v) as nullif(lower(trim(v)), '');
