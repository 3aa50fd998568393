import dagster as dg

from pipeline.definitions import defs
from pipeline.partitions import events_weekly_partition


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)


JOURNEYS_ASSETS = [
    "journey_maps", "map_stages", "map_touchpoints", "map_milestones", "map_follow_ups",
    "map_targets", "map_claims", "map_rules", "map_rule_conditions", "map_customers",
    "journey_rule_matches", "journey_events", "customer_milestones", "customer_journeys",
    "touchpoint_inventory", "map_coverage_unmeasured", "map_coverage_unmapped",
    "map_coverage_overlaps",
]
METRICS_ASSETS = [
    "conformance_journeys", "conformance_summary", "conformance_by_week", "conformance_variants",
    "conformance_deviations", "conformance_deviations_by_persona", "conformance_stage_dfg",
    "conformance_touchpoint_dfg", "conformance_start_end", "follow_up_checks",
    "follow_up_summary", "step_targets", "department_handoffs", "int_survey_responses",
    "int_claim_outcomes", "say_vs_do", "say_vs_do_gap_customers", "claim_calibration",
    "nps_vs_behaviour", "csat_vs_progression", "stated_vs_actual_channel",
]

FUNNEL_ASSETS = [
    "fct_dropoff_drivers", "fct_dropoff_last_touchpoints", "fct_dropoff_next_steps",
    "fct_dropoff_weekly", "fct_funnel_person_steps", "fct_funnel_persons",
    "fct_funnel_week_over_week", "fct_milestone_funnels", "fct_time_to_milestone",
    "fct_time_to_milestone_summary", "int_dropoff_persons", "int_funnel_segments",
    "int_milestone_step_conversion",
]

ATTRIBUTION_ASSETS = [
    "fct_attribution_credits", "fct_attribution_removal_effects", "fct_branch_follow_ups",
    "fct_branch_next_touchpoints", "fct_branches", "fct_opportunity_steps",
    "fct_opportunity_touchpoints",
]


def test_names_are_stable():
    assets = sorted(k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys())
    assert [a for a in FUNNEL_ASSETS if a not in assets] == []
    assets = [a for a in assets if a not in FUNNEL_ASSETS]
    assert [a for a in assets if a not in JOURNEYS_ASSETS + METRICS_ASSETS
            + ATTRIBUTION_ASSETS] == [
        "customers", "event_customers", "events", "identifiers", "identity_audit_sources",
        "identity_edges", "identity_inputs", "person_map", "raw_generic", "raw_hubspot",
        "raw_segment", "raw_sendgrid", "raw_surveys", "raw_zendesk", "report_as_is_vs_ideal", "report_attribution", "report_coverage",
        "report_journey_map", "report_say_vs_do", "report_weekly_dropoff", "reports_index", "staged_views",
    ]
    assert sorted(JOURNEYS_ASSETS) == [a for a in assets if a in JOURNEYS_ASSETS]
    assert sorted(METRICS_ASSETS) == [a for a in assets if a in METRICS_ASSETS]
    assert ATTRIBUTION_ASSETS == [a for a in assets if a in ATTRIBUTION_ASSETS]
    assert sorted(j.name for j in defs.jobs) == ["ingest_job", "journeys_job"]
    assert [s.name for s in defs.schedules] == ["journeys_job_schedule"]
    assert [s.name for s in defs.sensors] == ["inbox_sensor"]


def test_weeks_start_on_monday():
    keys = events_weekly_partition.get_partition_keys()[:3]
    assert keys == ["2025-01-06", "2025-01-13", "2025-01-20"]


def test_weekly_schedule_requests_last_complete_week():
    schedule = defs.resolve_schedule_def("journeys_job_schedule")
    assert schedule.cron_schedule == "0 6 * * 1"
    from datetime import datetime, timezone

    with dg.instance_for_test() as instance:
        ctx = dg.build_schedule_context(
            instance=instance,
            scheduled_execution_time=datetime(2026, 3, 16, 6, tzinfo=timezone.utc))
        requests = schedule.evaluate_tick(ctx).run_requests
    assert [r.partition_key for r in requests] == ["2026-03-09"]
