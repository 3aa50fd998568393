-- SendGrid Event Webhook events, assembled as text by one variadic concat: a NULL piece (a
-- field this event does not have) is skipped. `timestamp` is epoch seconds (a few as numeric
-- strings, as in SendGrid's own examples); `category` is a string or an array; custom args
-- (user_id) are top-level keys.
select
    concat(
        '{"email":', to_json(email),
        ',"timestamp":', case when ts_as_string then '"' || ts_s || '"' else ts_s::varchar end,
        ',"event":"', event, '"',
        ',"smtp-id":"' || smtp_id || '"',
        ',"sg_event_id":"', sg_event_id, '"',
        ',"sg_message_id":"' || sg_message_id || '"',
        ',"category":', case when category_second is null then '"' || category_first || '"'
            else '["' || category_first || '","' || category_second || '"]' end,
        ',"url":' || to_json(url),
        ',"useragent":' || to_json(useragent),
        ',"ip":"' || ip || '"',
        ',"sg_machine_open":' || sg_machine_open::varchar,
        ',"response":' || to_json(response),
        ',"reason":' || to_json(reason),
        ',"status":"' || status || '"',
        ',"type":"' || bounce_type || '"',
        ',"asm_group_id":' || asm_group_id::varchar,
        ',"marketing_campaign_id":' || marketing_campaign_id::varchar,
        ',"marketing_campaign_name":' || to_json(marketing_campaign_name),
        ',"user_id":"' || user_id || '"',
        '}'
    ) as line,
    _truncate
from rows
