-- Parse rows of a record-shaped export (CRM, support, survey and generic files): the natural
-- key, the event time and the required values are named by the object's spec in
-- pipeline/sources.py and bound as parameters, so one file serves every such object.
-- Reads `_incoming(_load_id, _file, _row, _line)`, the rows of one or more files of a load;
-- `_line` is the row as JSON text (a JSON-lines file's line as read, which may not parse).
--   $key_paths       JSON pointers of the natural-key fields
--   $key_names       their column names, for reject messages
--   $row_hash_key    true: rows without key values are keyed by a hash of the whole row
--   $required_paths  JSON pointers whose values must be present
--   $required_names  their column names
--   $time_path       JSON pointer of the event time, or NULL for objects without one
--   $time_kind       epoch_s | epoch_ms | local (ISO-8601 with an offset, else naive in $timezone)
insert into {{raw_table}} by name
with parsed as (
    -- One parse per row for the key, the required values and the time together; try() turns
    -- a line that does not parse into NULL.
    select
        _load_id,
        _file,
        _row,
        _line,
        is_json_object_text(_line) as looks_like_object,
        try(json_extract_string(
            _line, list_concat($key_paths, $required_paths, [coalesce($time_path, '/')])
        )) as f
    from _incoming
),

extracted as (
    select
        _load_id,
        _file,
        _row,
        _line,
        case
            when f is null and (looks_like_object or not json_valid(_line)) then 'not valid JSON'
            when f is null or not looks_like_object then 'not a JSON object'
        end as line_problem,
        f[1:len($key_paths)] as key_values,
        f[len($key_paths) + 1:len($key_paths) + len($required_paths)] as required_values,
        case when $time_path is not null then f[-1] end as time_raw
    from parsed
),

fields as (
    select
        _load_id,
        _file,
        _row,
        _line,
        line_problem,
        key_values,
        time_raw,
        list_position(
            list_transform(required_values, lambda v: v is null or trim(v) = ''), true
        ) as missing_required,
        list_bool_or(list_transform(key_values, lambda v: v is null or trim(v) = ''))
            as key_incomplete,
        case $time_kind
            when 'epoch_s' then epoch_s_to_utc(time_raw)
            when 'epoch_ms' then epoch_ms_to_utc(time_raw)
            when 'local' then any_to_utc(time_raw, $timezone)
        end as occurred_at
    from extracted
)

select
    _load_id,
    _file,
    _row,
    $loaded_at as _loaded_at,
    case
        when not key_incomplete then to_json(key_values)::varchar
        when $row_hash_key then 'row:' || md5(_line)
    end as _natural_key,
    occurred_at as _occurred_at,
    case
        when $time_kind = 'local' and time_raw is not null and not has_utc_offset(time_raw)
            then $timezone
    end as _tz_assumed,
    case
        when line_problem is not null then 'line'
        when missing_required is not null then $required_names[missing_required]
        when key_incomplete and not $row_hash_key then array_to_string($key_names, ', ')
        when $time_path is not null and (occurred_at is null or not is_plausible_time(occurred_at))
            then ltrim($time_path, '/')
    end as _reject_field,
    case
        when line_problem is not null then line_problem
        when missing_required is not null then 'missing ' || $required_names[missing_required]
        when key_incomplete and not $row_hash_key
            then 'missing key value (' || array_to_string($key_names, ', ') || ')'
        when $time_path is not null and occurred_at is null
            then 'cannot read time (' || $time_kind || '): ' || coalesce(time_raw, '(empty)')
        when $time_path is not null and not is_plausible_time(occurred_at)
            then 'time outside 2000-2100: ' || time_raw
    end as _reject_reason,
    _line as _record
from fields;
