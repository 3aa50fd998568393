-- Give every CSV record its true 1-based row number (after the header) and turn DuckDB's
-- rejected records into structural rejects. DuckDB numbers good rows 1..n, skipping rejected
-- ones, and reports a rejected record's line with the header as line 1.
-- DuckDB can report several errors for one record; a record is one reject. Every row carries its
-- load and file, as the parse files expect.
create temp table _structural_rejects as
select
    line - 1 as _row,
    string_agg(distinct column_name, ', ' order by column_name) as _field,
    string_agg(distinct error_type || ': ' || error_message, '; ') as _reason,
    min(csv_line) as _line
from _csv_rejects
group by line;

create temp table _incoming_numbered as
with rejected as (
    select distinct line - 1 as _row from _csv_rejects
),

good_rows_before as (
    select _row - row_number() over (order by _row) as n_good_before from rejected
)

select
    $load_id as _load_id,
    $file as _file,
    i._good_ordinal + (
        select count(*) from good_rows_before g where g.n_good_before < i._good_ordinal
    ) as _row,
    json_remove(i._line, '$.ordinality')::varchar as _line
from _incoming as i;

drop table _incoming;

alter table _incoming_numbered rename to _incoming;
