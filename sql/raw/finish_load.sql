-- Settle one load of an object's new files, set-based over all of them at once, in its own
-- transaction. The parse files have landed every row read in {{raw_table}} (flagged if
-- rejected); `_load_files(load_id, file, file_order, file_sha256, file_size, file_mtime,
-- structural_rejects)` lists the files.
-- 1. count the rows read per file, 2. move rejects to load_rejects, 3. find duplicates: a
-- valid row whose natural key an earlier load holds, or an earlier row of this load (file
-- order, then row) has; 4. delete rejects and duplicates; 5. write the ledger, every count
-- taken from its own table.
create temp table _load_rows_read as
select r._load_id as load_id, count(*) as rows_read
from {{raw_table}} as r
where r._load_id in (select load_id from _load_files)
group by all;

insert into load_rejects
select r._load_id, $source, $object, r._file, r._row, r._reject_field, r._reject_reason,
    r._record, r._loaded_at
from {{raw_table}} as r
where r._load_id in (select load_id from _load_files)
    and r._reject_reason is not null;

-- Rows of earlier loads sort before every row of this one (position -1), so a key loaded
-- before makes every new row of it a duplicate. Only keys seen more than once are joined back.
create temp table _load_duplicates as
with keyed as (
    select
        r.rowid as raw_rowid,
        r._load_id,
        r._natural_key,
        coalesce(f.file_order * 4294967296 + r._row, -1) as position
    from {{raw_table}} as r
    left join _load_files as f on r._load_id = f.load_id
    where r._reject_reason is null
),

repeated_keys as (
    select
        _natural_key,
        min(position) as first_position
    from keyed
    group by _natural_key
    having count(*) > 1
)

select
    keyed.raw_rowid,
    keyed._load_id as load_id
from keyed
inner join repeated_keys on keyed._natural_key = repeated_keys._natural_key
where keyed.position > repeated_keys.first_position;

delete from {{raw_table}}
where rowid in (select raw_rowid from _load_duplicates);

delete from {{raw_table}}
where _load_id in (select load_id from _load_files)
    and _reject_reason is not null;

insert into load_ledger by name
with loaded as (
    select _load_id as load_id, count(*) as rows_loaded
    from {{raw_table}}
    where _load_id in (select load_id from _load_files)
    group by all
),

rejected as (
    select load_id, count(*) as rows_rejected
    from load_rejects
    where load_id in (select load_id from _load_files)
    group by all
),

duplicates as (
    select load_id, count(*) as rows_duplicate
    from _load_duplicates
    group by all
)

select
    f.load_id,
    $source as source,
    $object as object,
    f.file,
    f.file_sha256,
    f.file_size,
    f.file_mtime,
    $loaded_at as loaded_at,
    coalesce(rows_read.rows_read, 0) + f.structural_rejects as rows_read,
    coalesce(loaded.rows_loaded, 0) as rows_loaded,
    coalesce(rejected.rows_rejected, 0) as rows_rejected,
    coalesce(duplicates.rows_duplicate, 0) as rows_duplicate
from _load_files as f
left join _load_rows_read as rows_read on f.load_id = rows_read.load_id
left join loaded on f.load_id = loaded.load_id
left join rejected on f.load_id = rejected.load_id
left join duplicates on f.load_id = duplicates.load_id;

drop table _load_rows_read;

drop table _load_duplicates;

select
    f.file,
    l.rows_read,
    l.rows_loaded,
    l.rows_rejected,
    l.rows_duplicate,
    (select count(*) from load_rejects as j
     where j.load_id = f.load_id and j.reason = 'not valid JSON') as rows_not_json,
    (select count(*) from load_rejects as j
     where j.load_id = f.load_id and j.reason = 'not a JSON object') as rows_not_object
from _load_files as f
inner join load_ledger as l on f.load_id = l.load_id
order by f.file_order;
