-- The per-customer results of the milestone funnels, filled map by map from the funnel engine.
create or replace table fct_funnel_persons (
    map_id varchar,
    customer_id varchar,
    persona varchar,
    entry_week date,
    first_touch_channel varchar,
    first_touch_source varchar,
    first_touch_department varchar,
    furthest_step smallint,
    excluded boolean,
    entered_at timestamp,
    window_ends_at timestamp,
    deadline_at timestamp,
    status varchar
);

create or replace table fct_funnel_person_steps (
    map_id varchar,
    customer_id varchar,
    step_index smallint,
    milestone_id varchar,
    reached_at timestamp,
    seconds_from_previous double,
    next_deadline_at timestamp
);
