-- int_funnel_segments: the segments every funnel entrant belongs to, one row per (customer,
-- dimension): 'all' (segment ''), entry_week (Monday of the entry, YYYY-MM-DD), persona, and
-- the first touch's channel, source and department ('' when empty). The one place the
-- funnel tables' breakdowns are defined.
create or replace table int_funnel_segments as
with entrants as (
    select *
    from fct_funnel_persons
    where furthest_step >= 0
)

select map_id, customer_id, 'all' as dimension, '' as segment from entrants
union all
select map_id, customer_id, 'entry_week', strftime(entry_week, '%Y-%m-%d') from entrants
union all
select map_id, customer_id, 'persona', coalesce(persona, '') from entrants
union all
select map_id, customer_id, 'first_touch_channel', coalesce(first_touch_channel, '')
from entrants
union all
select map_id, customer_id, 'first_touch_source', coalesce(first_touch_source, '')
from entrants
union all
select map_id, customer_id, 'first_touch_department', coalesce(first_touch_department, '')
from entrants;
