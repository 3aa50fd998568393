-- A raw table: every source column of a row as one JSON object (lossless under schema drift),
-- plus lineage. `_occurred_at` is the row's event time in UTC, `_tz_assumed` the zone applied
-- when the export gave none.
create table if not exists {{raw_table}} (
    _load_id        varchar not null,
    _file           varchar not null,
    _row            bigint not null,
    _loaded_at      timestamp not null,
    _natural_key    varchar not null,
    _occurred_at    timestamp,
    _tz_assumed     varchar,
    _record         json not null
);
