-- The two inputs of the conformance engine (pipeline/conformance/engine.py), empty.
create or replace temp table conformance_events (
    person_id varchar not null,
    occurred_at timestamp not null,
    event_order bigint not null,
    event_name varchar,
    stage varchar,
    stage_index integer,
    touchpoint_id varchar,
    department varchar,
    is_stage_marker boolean not null
);

create or replace temp table conformance_open_cases (
    person_id varchar not null
);
