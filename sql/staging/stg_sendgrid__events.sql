-- SendGrid webhook events as canonical email events (export-formats.md §4).
create or replace view stg_sendgrid__events as
with source as (
    select * from raw_sendgrid__events
),

renamed as (
    select
        -- ids and lineage
        _natural_key as source_event_id,
        _file as raw_file,
        _file || ':' || _row as raw_record_locator,
        _loaded_at as ingested_at,

        -- what happened
        lower(_record ->> 'event') as event_name,
        _record ->> 'type' as bounce_type,

        -- when
        _occurred_at as occurred_at,
        _record ->> 'timestamp' as occurred_at_raw,

        -- who
        normalise_email(_record ->> 'email') as email_norm,
        nullif(trim(_record ->> 'user_id'), '') as user_id,

        -- about what
        _record ->> 'sg_message_id' as message_id,
        _record ->> 'marketing_campaign_id' as campaign_id,
        _record ->> 'marketing_campaign_name' as campaign_name,
        _record ->> 'url' as url,
        _record ->> 'reason' as reason,
        _record
    from source
)

select
    event_key('sendgrid', 'events', source_event_id) as event_key,
    'sendgrid' as source_system,
    'email' as source_category,
    'events' as source_object,
    source_event_id,
    raw_file,
    raw_record_locator,
    case event_name
        when 'processed' then 'email.sent'
        when 'dropped' then 'email.dropped'
        when 'delivered' then 'email.delivered'
        when 'deferred' then 'email.deferred'
        when 'bounce' then 'email.bounced'
        when 'open' then 'email.opened'
        when 'click' then 'email.clicked'
        when 'spamreport' then 'email.spam_reported'
        when 'unsubscribe' then 'email.unsubscribed'
        when 'group_unsubscribe' then 'email.unsubscribed'
        when 'group_resubscribe' then 'email.resubscribed'
        else 'email.other'
    end as event_type,
    event_name as event_name_raw,
    occurred_at,
    occurred_at_raw,
    's' as time_precision,
    ingested_at,
    email_norm,
    sha256(email_norm) as email_sha256,
    md5(email_norm) as email_md5,
    user_id,
    'email_message' as object_type,
    message_id as object_id,
    campaign_id,
    campaign_name,
    url,
    'email' as channel,
    reason as text,
    json_object(
        'category', _record -> 'category',
        'bounce_type', bounce_type,
        'machine_open', _record -> 'sg_machine_open',
        'status', _record ->> 'status'
    ) as properties
from renamed;
