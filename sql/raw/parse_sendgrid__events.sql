-- SendGrid Event Webhook events: epoch-second timestamps (sometimes numeric strings), keyed by
-- sg_event_id, else by (email, event, timestamp, sg_message_id, url). Each line is parsed once,
-- into every field staging needs. Reads
-- `_incoming(_load_id, _file, _row, _line)`: the lines of all the load's files.
insert into raw_sendgrid__events by name
with parsed as (
    -- One parse per line for all fields. from_json keeps category (a string or a list) and
    -- sg_machine_open (a boolean) as JSON of their own type; try() turns a line that does not
    -- parse into NULL, which is rejected below.
    select
        _load_id,
        _file,
        _row,
        _line,
        is_json_object_text(_line) as looks_like_object,
        try(from_json(_line, '{
            "sg_event_id": "VARCHAR", "email": "VARCHAR", "event": "VARCHAR",
            "timestamp": "VARCHAR", "sg_message_id": "VARCHAR", "url": "VARCHAR",
            "type": "VARCHAR", "user_id": "VARCHAR", "marketing_campaign_id": "VARCHAR",
            "marketing_campaign_name": "VARCHAR", "reason": "VARCHAR", "status": "VARCHAR",
            "category": "JSON", "sg_machine_open": "JSON"
        }')) as e
    from _incoming
),

fields as (
    select
        _load_id,
        _file,
        _row,
        _line,
        case
            when e is null and (looks_like_object or not json_valid(_line)) then 'not valid JSON'
            when e is null or not looks_like_object then 'not a JSON object'
        end as line_problem,
        e.sg_event_id,
        e.email,
        lower(e.event) as event,
        e.timestamp as timestamp_raw,
        epoch_s_to_utc(e.timestamp) as occurred_at,
        e.sg_message_id,
        e.url,
        e.type as bounce_type,
        nullif(trim(e.user_id), '') as user_id,
        e.marketing_campaign_id,
        e.marketing_campaign_name,
        e.reason,
        e.status,
        e.category,
        e.sg_machine_open
    from parsed
)

select
    _load_id,
    _file,
    _row,
    $loaded_at as _loaded_at,
    coalesce(
        sg_event_id,
        concat_ws('|', normalise_email(email), event, timestamp_raw, sg_message_id, url)
    ) as _natural_key,
    occurred_at as _occurred_at,
    null::varchar as _tz_assumed,
    case
        when line_problem is not null then 'line'
        when event is null or event = '' then 'event'
        when timestamp_raw is null then 'timestamp'
        when occurred_at is null or not is_plausible_time(occurred_at) then 'timestamp'
        when normalise_email(email) is null then 'email'
    end as _reject_field,
    case
        when line_problem is not null then line_problem
        when event is null or event = '' then 'missing event'
        when timestamp_raw is null then 'missing timestamp'
        when occurred_at is null then 'timestamp is not epoch seconds: ' || timestamp_raw
        when not is_plausible_time(occurred_at) then 'timestamp outside 2000-2100: ' || timestamp_raw
        when normalise_email(email) is null then 'missing email'
    end as _reject_reason,
    _line as _record,
    event,
    bounce_type,
    timestamp_raw,
    email,
    user_id,
    sg_message_id,
    marketing_campaign_id,
    marketing_campaign_name,
    url,
    reason,
    status,
    category,
    sg_machine_open
from fields;
