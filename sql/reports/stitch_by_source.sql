-- Share of each source's events that identity stitching tied to a customer.
select
    source_system,
    n_events,
    n_events_attributed,
    n_customers,
    stitch_rate,
from identity_audit_sources
order by source_system;
