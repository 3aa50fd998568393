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

        -- what happened (typed at load: sql/raw/parse_segment__events.sql)
        message_type,
        track_event,
        page_name,

        -- when
        _occurred_at as occurred_at,
        timestamp_raw as occurred_at_raw,
        _tz_assumed as occurred_at_tz_assumed,
        received_at,

        -- who
        user_id,
        anonymous_id,
        normalise_email(email_raw) as email_norm,

        -- where from
        page_url as url,
        page_referrer as referrer,
        campaign_name as utm_campaign,
        campaign_source as utm_source,
        campaign_medium as utm_medium,
        campaign_term as utm_term,
        campaign_content as utm_content,

        -- about what: one parse of the small properties object for all three values
        properties as event_properties,
        json_extract_string(properties, ['$.revenue', '$.total', '$.currency', '$.order_id'])
            as order_fields
    from source
),

typed as (
    select
        * exclude (order_fields),
        try_cast(coalesce(order_fields[1], order_fields[2]) as double) as revenue,
        order_fields[3] as currency,
        order_fields[4] as order_id
    from renamed
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
from typed;
