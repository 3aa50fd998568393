-- Segment messages (track, page, identify, ...): ISO-8601 times with offsets, keyed by messageId.
create temp table _parsed as
with extracted as (
    select
        _row,
        _line,
        json_type(_line::json) as json_kind,
        json_extract_string(
            _line, ['$.messageId', '$.type', '$.timestamp', '$.anonymousId', '$.userId']
        ) as f
    from _incoming
),

fields as (
    select
        _row,
        _line,
        json_kind,
        f[1] as message_id,
        lower(f[2]) as message_type,
        f[3] as timestamp_raw,
        nullif(trim(f[4]), '') as anonymous_id,
        nullif(trim(f[5]), '') as user_id,
        any_to_utc(f[3], $timezone) as occurred_at
    from extracted
)

select
    _row,
    _line,
    message_id as _natural_key,
    occurred_at as _occurred_at,
    case when not has_utc_offset(timestamp_raw) then $timezone end as _tz_assumed,
    case
        when _line is null or json_kind <> 'OBJECT' then 'line'
        when message_id is null or trim(message_id) = '' then 'messageId'
        when message_type not in ('track', 'page', 'screen', 'identify', 'group', 'alias')
            or message_type is null then 'type'
        when occurred_at is null or not is_plausible_time(occurred_at) then 'timestamp'
        when anonymous_id is null and user_id is null then 'anonymousId'
    end as _reject_field,
    case
        when _line is null then 'not valid JSON'
        when json_kind <> 'OBJECT' then 'not a JSON object'
        when message_id is null or trim(message_id) = '' then 'missing messageId'
        when message_type is null then 'missing type'
        when message_type not in ('track', 'page', 'screen', 'identify', 'group', 'alias')
            then 'unknown message type: ' || message_type
        when timestamp_raw is null then 'missing timestamp'
        when occurred_at is null then 'timestamp is not ISO-8601: ' || timestamp_raw
        when not is_plausible_time(occurred_at) then 'timestamp outside 2000-2100: ' || timestamp_raw
        when anonymous_id is null and user_id is null then 'neither anonymousId nor userId'
    end as _reject_reason
from fields;
