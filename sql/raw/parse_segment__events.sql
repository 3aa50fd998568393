-- Segment messages (track, page, identify, ...): ISO-8601 times with offsets, keyed by messageId.
-- Each line is parsed once, into every field staging needs; a line that does not parse gets a
-- NULL struct and is rejected. Reads
-- `_incoming(_load_id, _file, _row, _line)`: the lines of all the load's files.
insert into raw_segment__events by name
with parsed as (
    -- One parse per line: json_extract_string with a list of paths reads them all at once
    -- (about twice as fast here as from_json into a struct, which sendgrid's short lines can
    -- afford for exact JSON types); try() turns a line that does not parse
    -- into NULL, which is rejected below.
    select
        _load_id,
        _file,
        _row,
        _line,
        is_json_object_text(_line) as looks_like_object,
        try(json_extract_string(_line, [
            '/messageId', '/type', '/event', '/name', '/timestamp', '/receivedAt', '/userId',
            '/anonymousId', '/traits/email', '/context/traits/email', '/context/page/url',
            '/context/page/referrer', '/context/campaign/name', '/context/campaign/source',
            '/context/campaign/medium', '/context/campaign/term', '/context/campaign/content',
            '/properties'
        ])) as f
    from _incoming
),

fields as (
    select
        _load_id,
        _file,
        _row,
        _line,
        case
            when f is null and (looks_like_object or not json_valid(_line)) then 'not valid JSON'
            when f is null or not looks_like_object then 'not a JSON object'
        end as line_problem,
        f[1] as message_id,
        lower(f[2]) as message_type,
        f[3] as track_event,
        f[4] as page_name,
        f[5] as timestamp_raw,
        any_to_utc(f[5], $timezone) as occurred_at,
        try_cast(try_cast(f[6] as timestamptz) as timestamp) as received_at,
        nullif(trim(f[7]), '') as user_id,
        nullif(trim(f[8]), '') as anonymous_id,
        coalesce(f[9], f[10]) as email_raw,
        f[11] as page_url,
        f[12] as page_referrer,
        f[13] as campaign_name,
        f[14] as campaign_source,
        f[15] as campaign_medium,
        f[16] as campaign_term,
        f[17] as campaign_content,
        -- properties is an object in Segment's spec; anything else is kept as a JSON string
        case when is_json_object_text(f[18]) then f[18] else to_json(f[18]) end as properties
    from parsed
)

select
    _load_id,
    _file,
    _row,
    $loaded_at as _loaded_at,
    message_id as _natural_key,
    occurred_at as _occurred_at,
    case when not has_utc_offset(timestamp_raw) then $timezone end as _tz_assumed,
    case
        when line_problem is not null then 'line'
        when message_id is null or trim(message_id) = '' then 'messageId'
        when message_type not in ('track', 'page', 'screen', 'identify', 'group', 'alias')
            or message_type is null then 'type'
        when occurred_at is null or not is_plausible_time(occurred_at) then 'timestamp'
        when anonymous_id is null and user_id is null then 'anonymousId'
    end as _reject_field,
    case
        when line_problem is not null then line_problem
        when message_id is null or trim(message_id) = '' then 'missing messageId'
        when message_type is null then 'missing type'
        when message_type not in ('track', 'page', 'screen', 'identify', 'group', 'alias')
            then 'unknown message type: ' || message_type
        when timestamp_raw is null then 'missing timestamp'
        when occurred_at is null then 'timestamp is not ISO-8601: ' || timestamp_raw
        when not is_plausible_time(occurred_at) then 'timestamp outside 2000-2100: ' || timestamp_raw
        when anonymous_id is null and user_id is null then 'neither anonymousId nor userId'
    end as _reject_reason,
    _line as _record,
    message_type,
    track_event,
    page_name,
    timestamp_raw,
    received_at,
    user_id,
    anonymous_id,
    email_raw,
    page_url,
    page_referrer,
    campaign_name,
    campaign_source,
    campaign_medium,
    campaign_term,
    campaign_content,
    properties
from fields;
