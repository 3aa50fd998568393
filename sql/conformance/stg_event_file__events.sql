-- A generic event file read for the ad-hoc `journeys conformance` command (event_file: fn_row,
-- person_id, event, timestamp in UTC, checked by pipeline/funnels/event_files.py), with each
-- event given its stage and touchpoint from _event_names(event_name, stage, stage_index,
-- touchpoint_id, department, is_stage_marker). The file row is the last tie-break.
insert into conformance_events
select
    event_file.person_id,
    event_file.timestamp as occurred_at,
    event_file.fn_row as event_order,
    event_file.event as event_name,
    names.stage,
    names.stage_index,
    names.touchpoint_id,
    names.department,
    coalesce(names.is_stage_marker, false) as is_stage_marker
from event_file
left join _event_names as names on names.event_name = event_file.event;
