-- Bookkeeping shared by every raw load: one ledger row per file load, one reject row per bad row.
-- file_size and file_mtime let a reload skip a file it has seen without hashing it again.
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
    rows_duplicate  bigint not null,
    file_size       bigint,
    file_mtime      double
);

alter table load_ledger add column if not exists file_size bigint;

alter table load_ledger add column if not exists file_mtime double;

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
