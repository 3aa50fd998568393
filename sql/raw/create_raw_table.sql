-- A raw table: every source column of a row as its JSON text (lossless under schema drift),
-- plus lineage. `_occurred_at` is the row's event time in UTC, `_tz_assumed` the zone applied
-- when the export gave none. Objects read in bulk add typed columns extracted from the record
-- at load (sql/raw/raw_<source>__<object>.sql), so staging never parses the record again.
-- `_reject_field` and `_reject_reason` are only set inside a load's transaction: rejected rows
-- are moved to load_rejects before it commits, so every committed row has them NULL.
-- zstd on the record: JSON text compresses about 10x, and choosing it up front spares DuckDB
-- from analysing every block for a dictionary or FSST encoding that does not fit.
create table if not exists {{raw_table}} (
    _load_id        varchar not null,
    _file           varchar not null,
    _row            bigint not null,
    _loaded_at      timestamp not null,
    _natural_key    varchar,
    _occurred_at    timestamp,
    _tz_assumed     varchar,
    _reject_field   varchar,
    _reject_reason  varchar,
    _record         varchar using compression zstd not null
);
