-- map_customers: the customers each map is about (its persona). A persona condition reads a
-- customers column by name, or else a key of customers.properties (CRM properties). Every
-- condition must hold; a map with no conditions takes every customer.
create or replace table map_customers as
with persona_conditions as (
    select unnest(cast($persona_conditions as struct(
        map_id varchar, rule_id varchar, condition_index integer, property varchar,
        json_pointer varchar, op varchar, text_values varchar[], number_values double[],
        pattern varchar, bound double, flag boolean
    )[]), recursive := true)
),

customers as (
    select * from customers
),

failed_conditions as (
    select distinct
        persona_conditions.map_id,
        customers.customer_id
    from persona_conditions
    cross join customers
    where not journeys_condition_holds(
        persona_conditions.op,
        case persona_conditions.property
            when 'customer_id' then customers.customer_id
            when 'persona' then customers.persona
            when 'hubspot_contact_id' then customers.hubspot_contact_id
            when 'email_sha256' then customers.email_sha256
            when 'is_identified' then cast(customers.is_identified as varchar)
            when 'is_shared' then cast(customers.is_shared as varchar)
            when 'n_events' then cast(customers.n_events as varchar)
            when 'n_source_systems' then cast(customers.n_source_systems as varchar)
            when 'first_seen_at' then cast(customers.first_seen_at as varchar)
            when 'last_seen_at' then cast(customers.last_seen_at as varchar)
            else json_extract_string(customers.properties, persona_conditions.json_pointer)
        end,
        persona_conditions.text_values,
        persona_conditions.number_values,
        persona_conditions.pattern,
        persona_conditions.bound,
        persona_conditions.flag
    )
)

select
    journey_maps.map_id,
    customers.customer_id
from journey_maps
cross join customers
anti join failed_conditions
    on failed_conditions.map_id = journey_maps.map_id
    and failed_conditions.customer_id = customers.customer_id;
