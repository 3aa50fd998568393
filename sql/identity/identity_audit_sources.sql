-- identity_audit_sources: per source system, how many events were attributed and how often
-- they were stitched to another source. stitch_rate is the share of the source's attributed
-- events whose customer also has attributed events from another source system (null when the
-- source has no attributed event).
create or replace table identity_audit_sources as
with source_customers as (
    select
        source_system,
        customer_id,
        n_events
    from identity_customer_source_events
),

customer_sources as (
    select
        customer_id,
        count(*) > 1 as is_multi_source
    from source_customers
    where customer_id is not null
    group by customer_id
),

flagged as (
    select
        source_customers.source_system,
        source_customers.customer_id,
        source_customers.n_events,
        coalesce(customer_sources.is_multi_source, false) as is_multi_source
    from source_customers
    left join customer_sources
        on source_customers.customer_id = customer_sources.customer_id
),

final as (
    select
        source_system,
        sum(n_events)::bigint as n_events,
        coalesce(sum(n_events) filter (where customer_id is not null), 0)::bigint
            as n_events_attributed,
        count(customer_id)::bigint as n_customers,
        count(customer_id) filter (where is_multi_source)::bigint as n_customers_multi_source,
        coalesce(sum(n_events) filter (where is_multi_source), 0)::double
            / nullif(sum(n_events) filter (where customer_id is not null), 0) as stitch_rate
    from flagged
    group by source_system
)

select * from final;
