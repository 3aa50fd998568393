-- customers: one row per customer_id of person_map.
-- Event facts (first/last seen, n_events, source_systems) come from the events attributed to the
-- customer (the same lookup as event_customers); a customer known only from identity links takes
-- first/last seen from its identifiers. properties merges person_properties over all the
-- customer's identifiers:
-- per key the latest observation wins (ties: source_system, then identifier); JSON nulls and
-- blank strings are ignored, so an empty export cell never erases a known value.
create or replace table customers as
with person_map as (
    select * from person_map
),

identifiers as (
    select
        identifier_type,
        identifier_value,
        first_seen_at,
        last_seen_at,
        is_shared
    from identifiers
),

customer_source_events as (
    select * from identity_customer_source_events
    where customer_id is not null
),

person_properties_source as (
    select
        identifier_type,
        identifier_value,
        source_system,
        properties,
        observed_at
    from person_properties
),

customer_identifiers as (
    select
        person_map.customer_id,
        count(*) as n_identifiers,
        count(*) filter (where person_map.identifier_type = 'email') as n_emails,
        count(*) filter (where person_map.identifier_type = 'user_id') as n_user_ids,
        count(*) filter (where person_map.identifier_type = 'anonymous_id') as n_anonymous_ids,
        min(person_map.identifier_value) filter (
            where person_map.identifier_type = 'email'
        ) as smallest_email,
        min(identifiers.first_seen_at) as identifiers_first_seen_at,
        max(identifiers.last_seen_at) as identifiers_last_seen_at,
        bool_or(identifiers.is_shared) as is_shared
    from person_map
    inner join identifiers
        on person_map.identifier_type = identifiers.identifier_type
        and person_map.identifier_value = identifiers.identifier_value
    group by person_map.customer_id
),

hubspot_contacts as (
    select
        person_map.customer_id,
        first(
            person_map.identifier_value
            order by identifiers.last_seen_at desc nulls last, person_map.identifier_value
        ) as hubspot_contact_id
    from person_map
    inner join identifiers
        on person_map.identifier_type = identifiers.identifier_type
        and person_map.identifier_value = identifiers.identifier_value
    where person_map.identifier_type = 'hubspot_contact'
    group by person_map.customer_id
),

customer_events as (
    select
        customer_id,
        sum(n_events)::bigint as n_events,
        min(first_event_at) as first_event_at,
        max(last_event_at) as last_event_at,
        list(source_system order by source_system) as source_systems
    from customer_source_events
    group by customer_id
),

property_observations as (
    select
        identity_norm_type(identifier_type) as identifier_type,
        identity_norm_value(
            identity_norm_type(identifier_type),
            identifier_value,
            $case_insensitive_types::varchar[]
        ) as identifier_value,
        source_system,
        properties,
        observed_at
    from person_properties_source
    where json_type(properties) = 'OBJECT'
),

property_values as (
    select
        person_map.customer_id,
        property.key as property_key,
        property.value as property_value,
        observations.observed_at,
        observations.source_system,
        observations.identifier_type,
        observations.identifier_value
    from property_observations as observations
    inner join person_map
        on observations.identifier_type = person_map.identifier_type
        and observations.identifier_value = person_map.identifier_value
    cross join json_each(observations.properties) as property
    where
        property.type <> 'NULL'
        and coalesce(trim(json_extract_string(property.value, '$')), '') <> ''
),

latest_values as (
    select
        customer_id,
        property_key,
        arg_max(
            property_value,
            {
                'observed_at': observed_at,
                'source_system': source_system,
                'identifier_type': identifier_type,
                'identifier_value': identifier_value,
                'property_value': property_value::varchar
            }
        ) as property_value
    from property_values
    group by customer_id, property_key
),

customer_properties as (
    select
        customer_id,
        map_from_entries(
            list({'key': property_key, 'value': property_value} order by property_key)
        )::json as properties
    from latest_values
    group by customer_id
),

final as (
    select
        -- ids
        customer_identifiers.customer_id,

        -- timestamps
        coalesce(
            customer_events.first_event_at, customer_identifiers.identifiers_first_seen_at
        ) as first_seen_at,
        coalesce(
            customer_events.last_event_at, customer_identifiers.identifiers_last_seen_at
        ) as last_seen_at,

        -- counts
        coalesce(customer_events.n_events, 0)::bigint as n_events,
        customer_identifiers.n_identifiers::bigint as n_identifiers,
        customer_identifiers.n_emails::bigint as n_emails,
        customer_identifiers.n_user_ids::bigint as n_user_ids,
        customer_identifiers.n_anonymous_ids::bigint as n_anonymous_ids,
        len(coalesce(customer_events.source_systems, []::varchar[]))::bigint as n_source_systems,
        coalesce(customer_events.source_systems, []::varchar[]) as source_systems,

        -- person attributes
        sha256(customer_identifiers.smallest_email) as email_sha256,
        hubspot_contacts.hubspot_contact_id,
        customer_properties.properties ->> 'persona' as persona,
        customer_properties.properties,

        -- booleans
        customer_identifiers.n_emails > 0
        or customer_identifiers.n_user_ids > 0 as is_identified,
        customer_identifiers.is_shared
    from customer_identifiers
    left join customer_events
        on customer_identifiers.customer_id = customer_events.customer_id
    left join hubspot_contacts
        on customer_identifiers.customer_id = hubspot_contacts.customer_id
    left join customer_properties
        on customer_identifiers.customer_id = customer_properties.customer_id
)

select * from final;
