-- The conformance tables of every ideal map, emptied before a rebuild. Filled map by map by
-- insert_conformance_map.sql from the engine's temp tables (docs/metrics.md, "Conformance to the
-- ideal map").
create or replace table conformance_journeys (
    map_id varchar, customer_id varchar, persona varchar, entry_week date, variant_id bigint,
    path varchar[], n_steps bigint, is_closed boolean, cost bigint, denominator bigint,
    fitness double, fits boolean,
    deviations struct(kind varchar, subject varchar, "position" integer)[]
);

create or replace table conformance_summary (
    map_id varchar, n_journeys bigint, n_closed bigint, n_in_progress bigint,
    n_variants bigint, log_fitness double, average_fitness double,
    perfectly_fitting_share double
);

create or replace table conformance_by_week (
    map_id varchar, entry_week date, n_closed bigint, log_fitness double,
    average_fitness double, perfectly_fitting_share double
);

create or replace table conformance_variants (
    map_id varchar, variant_id bigint, path varchar[], n_journeys bigint, n_closed bigint,
    cost bigint, fitness double
);

create or replace table conformance_deviations (
    map_id varchar, kind varchar, subject varchar, department varchar, n_journeys bigint,
    share_of_closed double, deviation_rank bigint
);

create or replace table conformance_deviations_by_persona (
    map_id varchar, persona varchar, kind varchar, subject varchar, department varchar,
    n_journeys bigint, share_of_closed double, deviation_rank bigint
);

create or replace table conformance_stage_dfg (
    map_id varchar, from_label varchar, to_label varchar, n_transitions bigint,
    median_seconds double
);

create or replace table conformance_touchpoint_dfg (
    map_id varchar, from_touchpoint varchar, to_touchpoint varchar, n_transitions bigint,
    median_seconds double
);

create or replace table conformance_start_end (
    map_id varchar, "position" varchar, label varchar, n_journeys bigint
);

create or replace table follow_up_checks (
    map_id varchar, follow_up_id varchar, customer_id varchar, after_at timestamp,
    due_at timestamp, status varchar
);
