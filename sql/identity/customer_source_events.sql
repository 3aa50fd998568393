-- Scratch: attributed events per (customer_id, source_system), with unattributed events under a
-- null customer_id. Summed from the event signatures' customers (signature_customers.sql), so
-- customers and identity_audit_sources never join event_customers back to events.
create or replace temp table identity_customer_source_events as
with signature_customers as (
    select * from identity_signature_customers
),

final as (
    select
        customer_id,
        source_system,
        sum(n_events)::bigint as n_events,
        min(first_event_at) as first_event_at,
        max(last_event_at) as last_event_at
    from signature_customers
    group by customer_id, source_system
)

select * from final;
