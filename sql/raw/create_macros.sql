-- Macros shared by the parse_* files and the staging views (stored in the database, so views
-- that use them keep working in later sessions). Every result is naive UTC
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

-- The non-blank lines of a JSON-lines file with their 1-based line numbers, as text: read as
-- lines, not as JSON, so a bad line keeps its text and its number, and blank lines still count
-- toward the numbering. chr(1) cannot occur unescaped in valid JSON, so every line is one column.
-- WITH ORDINALITY numbers lines in file order even when two threads read the file.
-- A line that starts with '{' is not blank; only the others are trimmed (trimming every line
-- copied it, which measured 2 µs a line, a fifth of a Segment load).
create or replace macro jsonl_lines(path) as table
select ordinality::bigint as _row, line as _line
from read_csv(path, columns = {'line': 'VARCHAR'}, header = false, delim = chr(1), quote = '',
    escape = '', auto_detect = false, strict_mode = false) with ordinality
where case when starts_with(line, '{') then true else trim(line) <> '' end;

-- A JSON text whose top level is an object (validity is checked by the parse itself).
create or replace macro is_json_object_text(v) as starts_with(ltrim(v), '{');

create or replace macro is_plausible_time(ts) as
    ts >= timestamp '2000-01-01' and ts < timestamp '2100-01-01';

create or replace macro normalise_email(v) as nullif(lower(trim(v)), '');

create or replace macro email_sha256(v) as sha256(normalise_email(v));

create or replace macro event_key(source_system, source_object, source_event_id) as
    sha256(concat_ws('|', source_system, source_object, source_event_id));

-- Monday (UTC) of the week a time falls in: the partition key of `events`.
create or replace macro week_of(ts) as cast(date_trunc('week', ts) as date);

-- `Signed Up` -> `signed_up`: the slug used in canonical event types.
create or replace macro slug(v) as
    trim(regexp_replace(lower(trim(v)), '[^a-z0-9]+', '_', 'g'), '_');

-- The latest exported version of each record of a snapshot export (contacts, deals, tickets,
-- users, metrics): newest modification time first, then the latest load, then the last row.
-- The id and the modification time come from one parse of the record (a list of paths).
create or replace macro latest_snapshot(raw_table, id_field, modified_field) as table
select * exclude (_snapshot_fields)
from (
    select
        *,
        json_extract_string(
            _record, ['$."' || id_field || '"', '$."' || modified_field || '"']
        ) as _snapshot_fields
    from query_table(raw_table)
)
qualify row_number() over (
    partition by _snapshot_fields[1]
    order by try_cast(_snapshot_fields[2] as timestamptz) desc nulls last,
        _loaded_at desc, _row desc
) = 1;
