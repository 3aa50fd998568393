-- Identity links that no single event carries: HubSpot merged contacts and Zendesk end-user
-- records (agents and admins are staff, not customers)
-- (export-formats.md §3). The identity layer joins these with the identifiers on events.
create or replace table identity_links as
with hubspot_contacts as (
    select
        trim(_record ->> 'Record ID') as contact_id,
        _record ->> 'Merged Contact IDs' as merged_vids,
        _file || ':' || _row as locator
    from latest_snapshot('raw_hubspot__contacts', 'Record ID', 'Last Modified Date')
),

-- `hs_calculated_merged_vids` is `<vid>:<epoch_ms>;<vid>:<epoch_ms>`.
hubspot_merges as (
    select
        contact_id,
        trim(split_part(merged, ':', 1)) as merged_contact_id,
        epoch_ms_to_utc(split_part(merged, ':', 2)) as merged_at,
        locator
    from hubspot_contacts,
        unnest(string_split(merged_vids, ';')) as m(merged)
    where nullif(trim(merged_vids), '') is not null and nullif(trim(merged), '') is not null
),

zendesk_users as (
    select
        trim(_record ->> 'id') as zendesk_user_id,
        normalise_email(_record ->> 'email') as email_norm,
        nullif(trim(_record ->> 'external_id'), '') as external_id,
        _occurred_at as created_at,
        _file || ':' || _row as locator,
        coalesce(lower(_record ->> 'role'), 'end-user') as role
    from latest_snapshot('raw_zendesk__users', 'id', 'updated_at')
)

select
    'hubspot_contact' as a_type,
    contact_id as a_value,
    'hubspot_contact' as b_type,
    merged_contact_id as b_value,
    'merge' as edge_kind,
    'hubspot' as source_system,
    locator as evidence_event_key,
    merged_at as observed_at
from hubspot_merges
where merged_contact_id <> contact_id

union all

select 'zendesk_user', zendesk_user_id, 'email', email_norm, 'same_record', 'zendesk', locator,
    created_at
from zendesk_users
where email_norm is not null and role = 'end-user'

union all

select 'zendesk_user', zendesk_user_id, 'user_id', external_id, 'same_record', 'zendesk', locator,
    created_at
from zendesk_users
where external_id is not null and role = 'end-user';
