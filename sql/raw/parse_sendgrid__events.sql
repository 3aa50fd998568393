-- SendGrid Event Webhook events: epoch-second timestamps (sometimes numeric strings), keyed by
-- sg_event_id, else by (email, event, timestamp, sg_message_id, url).
create temp table _parsed as
with extracted as (
    select
        _row,
        _line,
        json_type(_line::json) as json_kind,
        json_extract_string(
            _line,
            ['$.sg_event_id', '$.email', '$.event', '$.timestamp', '$.sg_message_id', '$.url']
        ) as f
    from _incoming
),

fields as (
    select
        _row,
        _line,
        json_kind,
        f[1] as sg_event_id,
        f[2] as email,
        lower(f[3]) as event,
        f[4] as timestamp_raw,
        f[5] as sg_message_id,
        f[6] as url,
        epoch_s_to_utc(f[4]) as occurred_at
    from extracted
)

select
    _row,
    _line,
    coalesce(
        sg_event_id,
        concat_ws('|', normalise_email(email), event, timestamp_raw, sg_message_id, url)
    ) as _natural_key,
    occurred_at as _occurred_at,
    null::varchar as _tz_assumed,
    case
        when _line is null then 'line'
        when json_kind <> 'OBJECT' then 'line'
        when event is null or event = '' then 'event'
        when timestamp_raw is null then 'timestamp'
        when occurred_at is null or not is_plausible_time(occurred_at) then 'timestamp'
        when normalise_email(email) is null then 'email'
    end as _reject_field,
    case
        when _line is null then 'not valid JSON'
        when json_kind <> 'OBJECT' then 'not a JSON object'
        when event is null or event = '' then 'missing event'
        when timestamp_raw is null then 'missing timestamp'
        when occurred_at is null then 'timestamp is not epoch seconds: ' || timestamp_raw
        when not is_plausible_time(occurred_at) then 'timestamp outside 2000-2100: ' || timestamp_raw
        when normalise_email(email) is null then 'missing email'
    end as _reject_reason
from fields;
