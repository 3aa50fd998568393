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

        -- what happened (typed at load: sql/raw/parse_sendgrid__events.sql)
        event as event_name,
        bounce_type,

        -- when
        _occurred_at as occurred_at,
        timestamp_raw as occurred_at_raw,

        -- who
        normalise_email(email) as email_norm,
        user_id,

        -- about what
        sg_message_id as message_id,
        marketing_campaign_id as campaign_id,
        marketing_campaign_name as campaign_name,
        url,
        reason,
        category,
        sg_machine_open,
        status
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
        'category', category,
        'bounce_type', bounce_type,
        'machine_open', sg_machine_open,
        'status', status
    ) as properties
from renamed;
