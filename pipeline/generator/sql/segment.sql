-- Segment messages (analytics.js shape), assembled as text by one variadic concat: a piece
-- that is NULL (an absent field) is skipped, so optional fields are left out rather than
-- written as null. Free text goes through to_json (escaping); ids, enums and times are
-- JSON-safe by construction. Device times carry the device's UTC offset; receivedAt is the
-- collector's clock in Z.
select
    concat(
        '{"type":"', type, '"',
        ',"messageId":"' || message_id || '"',
        ',"anonymousId":"', anonymous_id, '"',
        ',"userId":"' || user_id || '"',
        ',"event":' || to_json(event),
        ',"name":' || to_json(name),
        case type
            when 'page' then concat(
                ',"properties":{"path":', to_json(path),
                ',"referrer":', to_json(referrer_url),
                ',"title":', to_json(title),
                ',"url":', to_json(site || path), '}')
            when 'track' then concat(
                ',"properties":{',
                '"method":"' || method || '"',
                '"store_id":"' || store_id || '","ride_at":"' || iso_z(ride_at) || '"',
                case when order_id is not null then concat(
                    '"order_id":"', order_id, '","revenue":', revenue::varchar,
                    ',"currency":"USD","products":[{"product_id":',
                    to_json(lower(replace(product, ' ', '-'))), ',"name":', to_json(product),
                    ',"price":', revenue::varchar, ',"quantity":1}]') end,
                '}')
            else concat(
                ',"traits":{"email":', to_json(email), ',"first_name":', to_json(first_name),
                ',"last_name":', to_json(last_name), '}')
        end,
        ',"context":{"ip":"', ip, '"',
        ',"library":{"name":"analytics.js","version":"next-1.70.0"},"locale":"en-US"',
        ',"page":{"path":', to_json(path),
        ',"referrer":', to_json(referrer_url),
        ',"search":', to_json(coalesce(utm, '')),
        ',"title":', to_json(title),
        ',"url":', to_json(concat(site, path, utm)), '}',
        ',"campaign":{"name":' || to_json(campaign_name) || ',"source":'
            || to_json(campaign_source) || ',"medium":' || to_json(campaign_medium) || '}',
        ',"userAgent":', to_json(user_agent), '}',
        ',"timestamp":"', device_time,
        '","originalTimestamp":"', device_time,
        '","sentAt":"', iso_offset_ms(sent, off),
        '","receivedAt":"', iso_z_ms(received), '"}'
    ) as line,
    _truncate
from (
    select
        *,
        'https://www.cadencebikes.com' as site,
        coalesce('https://www.cadencebikes.com' || prev_path, referrer, '') as referrer_url,
        '?utm_source=' || campaign_source || '&utm_medium=' || campaign_medium
            || '&utm_campaign=' || campaign_name as utm,
        case when _bad_ts then 'not-a-date' else iso_offset_ms(ts, off) end as device_time
    from rows
)
