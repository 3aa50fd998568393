-- Segment track, page and identify messages as canonical web events.
create or replace view stg_segment__events as
with source as (
    select * from raw_segment__events
),

renamed as (
    select
        -- ids and lineage
        _natural_key as source_event_id,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,

        -- what happened
        lower(_record ->> 'type') as message_type,
        _record ->> 'event' as track_event,
        _record ->> 'name' as page_name,

        -- when
        _occurred_at as occurred_at,
        _record ->> 'timestamp' as occurred_at_raw,
        _tz_assumed as occurred_at_tz_assumed,
        try_cast(try_cast(_record ->> 'receivedAt' as timestamptz) as timestamp) as received_at,

        -- who
        nullif(trim(_record ->> 'userId'), '') as user_id,
        nullif(trim(_record ->> 'anonymousId'), '') as anonymous_id,
        normalise_email(coalesce(_record ->> '$.traits.email', _record ->> '$.context.traits.email'))
            as email_norm,

        -- where from
        _record ->> '$.context.page.url' as url,
        _record ->> '$.context.page.referrer' as referrer,
        _record ->> '$.context.campaign.name' as utm_campaign,
        _record ->> '$.context.campaign.source' as utm_source,
        _record ->> '$.context.campaign.medium' as utm_medium,
        _record ->> '$.context.campaign.term' as utm_term,
        _record ->> '$.context.campaign.content' as utm_content,

        -- about what
        _record -> 'properties' as event_properties,
        try_cast(coalesce(_record ->> '$.properties.revenue', _record ->> '$.properties.total')
            as double) as revenue,
        _record ->> '$.properties.currency' as currency,
        _record ->> '$.properties.order_id' as order_id
    from source
)

select
    event_key('segment', 'events', source_event_id) as event_key,
    'segment' as source_system,
    'web' as source_category,
    'events' as source_object,
    source_event_id,
    raw_file,
    raw_record_locator,
    case
        when message_type = 'page' then 'web.page_viewed'
        when message_type = 'screen' then 'web.screen_viewed'
        when message_type = 'identify' then 'web.identified'
        when message_type = 'alias' then 'web.aliased'
        when message_type = 'group' then 'web.grouped'
        when lower(track_event) = 'order completed' then 'commerce.order_completed'
        when slug(track_event) = '' or track_event is null then 'web.other'
        else 'web.' || slug(track_event)
    end as event_type,
    coalesce(track_event, page_name, message_type) as event_name_raw,
    occurred_at,
    occurred_at_raw,
    occurred_at_tz_assumed,
    'ms' as time_precision,
    received_at,
    ingested_at,
    email_norm,
    sha256(email_norm) as email_sha256,
    md5(email_norm) as email_md5,
    user_id,
    anonymous_id,
    case when order_id is not null then 'order' end as object_type,
    order_id as object_id,
    utm_campaign as campaign_name,
    utm_source,
    utm_medium,
    utm_campaign,
    utm_term,
    utm_content,
    url,
    referrer,
    'web' as channel,
    revenue as value_numeric,
    currency,
    event_properties as properties
from renamed;
