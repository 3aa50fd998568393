-- Scratch: the customer of every raw event signature (event_signatures.sql). Each of the
-- signature's four identifiers is looked up in identity_match_keys and the smallest match_key
-- wins: an unshared identifier before a shared one, then identifier priority, then type and
-- value. A signature whose usable identifiers are all shared goes to the best shared singleton.
-- A signature with no usable identifier (all null or blocked) has a null customer_id and
-- matched_on_type: its events are counted as unattributed, never dropped.
-- event_customers and customer_source_events both read this, so the lookup runs once per
-- signature, not once per event.
create or replace temp table identity_signature_customers as
with signatures as (
    select * from identity_event_raw_signatures
),

match_keys as (
    select * from identity_match_keys
),

matched as (
    select
        signatures.*,
        least(
            by_email.match_key,
            by_user_id.match_key,
            by_anonymous_id.match_key,
            by_person.match_key
        ) as match_key
    from signatures
    left join match_keys as by_email
        on by_email.identifier_type = 'email'
        and signatures.norm_email = by_email.identifier_value
    left join match_keys as by_user_id
        on by_user_id.identifier_type = 'user_id'
        and signatures.norm_user_id = by_user_id.identifier_value
    left join match_keys as by_anonymous_id
        on by_anonymous_id.identifier_type = 'anonymous_id'
        and signatures.norm_anonymous_id = by_anonymous_id.identifier_value
    left join match_keys as by_person
        on signatures.person_type = by_person.identifier_type
        and signatures.person_value = by_person.identifier_value
),

final as (
    select
        matched.source_system,
        matched.email_norm,
        matched.user_id,
        matched.anonymous_id,
        matched.source_person_type,
        matched.source_person_id,
        matched.n_events,
        matched.first_event_at,
        matched.last_event_at,
        match_keys.customer_id,
        match_keys.identifier_type as matched_on_type
    from matched
    left join match_keys
        on matched.match_key = match_keys.match_key
)

select * from final;
