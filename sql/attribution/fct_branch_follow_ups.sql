-- fct_branch_follow_ups: on each branch of an anchor that a map's follow-up starts from
-- (follow_ups: "after A, unless B, C within T"; A = the anchor's touchpoint), whether the
-- expected touchpoint C came, and how fast. Per follow-up, outcome and need:
--   is_needed     no B event came within T after the anchor (otherwise the follow-up was not
--                 needed; its rows show whether C was sent anyway)
--   n_anchors     anchors whose T has ended by as-of (younger ones are left out: C may still come)
--   n_followed_up a C event came after the anchor and within T; n_late: the first C came after T
--   hours_to_follow_up: median / 90th percentile of (first C - anchor) over followed-up anchors
create or replace table fct_branch_follow_ups as
with follow_ups as (
    select * from map_follow_ups
),

maps as (
    select
        map_id,
        as_of
    from journey_maps
),

anchors as (
    select
        anchors.map_id,
        follow_ups.follow_up_id,
        anchors.customer_id,
        anchors.anchor_event_key,
        anchors.anchor_label,
        anchors.outcome,
        anchors.anchored_at,
        anchors.anchored_at + to_seconds(follow_ups.within_seconds) as due_by,
        follow_ups.unless_touchpoint,
        follow_ups.expect_touchpoint
    from int_branch_anchors as anchors
    inner join follow_ups
        on follow_ups.map_id = anchors.map_id
        and follow_ups.after_touchpoint = anchors.anchor_touchpoint_id
    inner join maps on maps.map_id = anchors.map_id
    where anchors.anchored_at + to_seconds(follow_ups.within_seconds) <= maps.as_of
),

checked as (
    select
        anchors.map_id,
        anchors.follow_up_id,
        anchors.anchor_event_key,
        anchors.anchor_label,
        anchors.outcome,
        anchors.anchored_at,
        anchors.due_by,
        not coalesce(bool_or(
            later.touchpoint_id = anchors.unless_touchpoint and later.occurred_at <= anchors.due_by
        ), false) as is_needed,
        min(later.occurred_at) filter (
            where later.touchpoint_id = anchors.expect_touchpoint
        ) as first_expected_at
    from anchors
    left join journey_events as later
        on later.map_id = anchors.map_id
        and later.customer_id = anchors.customer_id
        and later.occurred_at >= anchors.anchored_at
        and later.event_key <> anchors.anchor_event_key
        and later.touchpoint_id in (anchors.unless_touchpoint, anchors.expect_touchpoint)
    group by all
),

timed as (
    select
        *,
        first_expected_at <= due_by as in_time,
        epoch(first_expected_at - anchored_at) / 3600 as hours_to_follow_up
    from checked
),

counts as (
    select
        map_id,
        follow_up_id,
        anchor_label,
        outcome,
        is_needed,
        count(*) as n_anchors,
        count(*) filter (where in_time) as n_followed_up,
        count(*) filter (where not in_time) as n_late,
        median(hours_to_follow_up) filter (where in_time) as median_hours_to_follow_up,
        quantile_cont(hours_to_follow_up, 0.9) filter (
            where in_time
        ) as p90_hours_to_follow_up
    from timed
    group by map_id, follow_up_id, anchor_label, outcome, is_needed
)

select
    counts.map_id,
    counts.follow_up_id,
    follow_ups.label,
    follow_ups.expect_touchpoint,
    follow_ups.within_seconds,
    counts.anchor_label,
    counts.outcome,
    counts.is_needed,
    counts.n_anchors,
    counts.n_followed_up,
    counts.n_late,
    counts.n_followed_up / counts.n_anchors as follow_up_rate,
    wilson_low(counts.n_followed_up, counts.n_anchors) as follow_up_rate_low,
    wilson_high(counts.n_followed_up, counts.n_anchors) as follow_up_rate_high,
    counts.median_hours_to_follow_up,
    counts.p90_hours_to_follow_up
from counts
inner join follow_ups
    on follow_ups.map_id = counts.map_id
    and follow_ups.follow_up_id = counts.follow_up_id;
