-- A generic event file (person_id, event, timestamp; docs/exports.md) read for the ad-hoc
-- `journeys conformance` command, with each event given its stage and touchpoint.
-- Reads _event_file (the file's columns as text plus _row, its 1-based record number) and
-- _event_names(event_name, stage, stage_index, touchpoint_id, department, is_stage_marker).
-- Times with an offset are converted to UTC; times without one are read as UTC.
create or replace temp table event_file_rows as
select
    _row,
    nullif(trim(person_id), '') as person_id,
    nullif(trim(event), '') as event_name,
    timestamp as occurred_at_raw,
    try_cast(timestamp as timestamptz) as occurred_at_tz
from _event_file;

create or replace temp table event_file_problems as
select _row, 'person_id' as field, 'is empty' as problem from event_file_rows
where person_id is null
union all
select _row, 'event', 'is empty' from event_file_rows
where event_name is null
union all
select _row, 'timestamp',
    case when occurred_at_raw is null or trim(occurred_at_raw) = '' then 'is empty'
        else 'is not a timestamp: ' || occurred_at_raw end
from event_file_rows
where occurred_at_tz is null;

insert into conformance_events
select
    rows.person_id,
    timezone('UTC', rows.occurred_at_tz) as occurred_at,
    rows._row as event_order,
    rows.event_name,
    names.stage,
    names.stage_index,
    names.touchpoint_id,
    names.department,
    coalesce(names.is_stage_marker, false) as is_stage_marker
from event_file_rows as rows
left join _event_names as names on rows.event_name = names.event_name
where rows.person_id is not null
    and rows.event_name is not null
    and rows.occurred_at_tz is not null;
