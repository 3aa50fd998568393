-- Land one parsed file: rejects first, then first arrivals of new natural keys, then the ledger.
-- Reads the temp tables `_parsed` (from the object's parse_* file) and `_structural_rejects`.
insert into load_rejects
select $load_id, $source, $object, $file, _row, _field, _reason, _line, $loaded_at
from _structural_rejects
union all
select
    $load_id, $source, $object, $file, p._row, p._reject_field, p._reject_reason,
    coalesce(p._line, i._text), $loaded_at
from _parsed as p
inner join _incoming as i on i._row = p._row
where p._reject_reason is not null;

-- The earliest row of each key in this file wins, and only if no earlier load has the key.
-- Every valid row is classified here, so duplicates are counted, not inferred.
create temp table _classified as
with valid as (
    select * from _parsed where _reject_reason is null
),

ranked as (
    select
        *,
        row_number() over (partition by _natural_key order by _row) as _rank_in_file
    from valid
)

select
    ranked.*,
    ranked._rank_in_file = 1 and not exists (
        select 1 from {{raw_table}} as r where r._natural_key = ranked._natural_key
    ) as _is_new
from ranked;

insert into {{raw_table}}
select $load_id, $file, _row, $loaded_at, _natural_key, _occurred_at, _tz_assumed, _line::json
from _classified
where _is_new;

insert into load_ledger
select
    $load_id,
    $source,
    $object,
    $file,
    $file_sha256,
    $loaded_at,
    (select count(*) from _incoming) + $structural_rejects,
    (select count(*) from {{raw_table}} where _load_id = $load_id),
    (select count(*) from load_rejects where load_id = $load_id),
    (select count(*) from _classified where not _is_new);

drop table _classified;

select rows_read, rows_loaded, rows_rejected, rows_duplicate
from load_ledger
where load_id = $load_id;
