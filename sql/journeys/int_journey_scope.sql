-- int_journey_scope (view): the events each map measures: every event of the map's customers
-- up to the as-of time. Deleted records are left out.
create or replace view int_journey_scope as
select
    map_customers.map_id,
    event_customers.customer_id,
    events.event_key,
    events.occurred_at,
    events.event_week,
    events.source_system,
    events.event_type,
    events.event_name_raw,
    events.campaign_name,
    events.channel as event_channel,
    events.score,
    events.score_scale,
    events.properties
from journey_maps
inner join map_customers on map_customers.map_id = journey_maps.map_id
inner join event_customers on event_customers.customer_id = map_customers.customer_id
inner join events on events.event_key = event_customers.event_key
where events.occurred_at <= journey_maps.as_of
    and not events.is_deleted;
