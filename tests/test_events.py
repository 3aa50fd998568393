"""The canonical events table and its weekly partitions, on the fixture company."""

import dagster as dg

from pipeline.definitions import defs
from pipeline.project import JourneysProject
from pipeline.resources import JourneysDuckDB

# Counted by hand from tests/fixtures/exports (see test_ingest for the raw counts).
EXPECTED_EVENT_TYPES = {
    "crm.contact_created": 2, "crm.deal_created": 1, "crm.deal_stage_changed": 1,
    "crm.deal_won": 1, "crm.lifecycle_changed": 3, "crm.list_joined": 2,
    "crm.workflow_enrolled": 1,
    "email.sent": 2, "email.delivered": 1, "email.opened": 1, "email.clicked": 1,
    "email.bounced": 1,
    "web.page_viewed": 2, "web.identified": 2, "web.signed_up": 1,
    "commerce.order_completed": 1,
    "support.ticket_created": 1, "support.message_received": 1, "support.message_sent": 1,
    "support.ticket_solved": 1, "survey.csat_submitted": 1,
    "survey.response_submitted": 3,
    "store.store_visit": 1, "store.test_ride_completed": 1,
}


def test_event_types_match_hand_counts(run, query):
    run()
    got = dict(query("select event_type, count(*) from events group by all"))
    assert got == EXPECTED_EVENT_TYPES


def test_canonical_fields(run, query):
    run()
    email, vendor, user_id = query(
        "select email_norm, event_name_raw, user_id from events where source_event_id = 'sg-5'")[0]
    assert (email, vendor, user_id) == ("bo@northwind.io", "processed", None)
    assert query("select user_id from events where source_event_id = 'sg-1'") == [("usr_ann",)]
    stage_from, stage_to = query("select stage_from, stage_to from events "
                                 "where event_type = 'crm.deal_won'")[0]
    assert (stage_from, stage_to) == ("appointmentscheduled", "closedwon")
    value, currency = query("select value_numeric, currency from events "
                            "where event_type = 'commerce.order_completed'")[0]
    assert (value, currency) == (2400.0, "USD")
    # Free text is kept verbatim here; escaping is the reports' job.
    assert query("select text from events where event_type = 'support.message_received'") == [
        ("My battery <script>alert(1)</script> won't charge",)]
    assert query("select count(*) from events where event_week <> date_trunc('week', "
                 "occurred_at)::date") == [(0,)]


def test_rerunning_a_week_gives_the_same_table(run, query, exports, database, sources_config):
    run()
    snapshot = query("select * exclude (ingested_at) from events order by event_key")
    resources = {
        "duckdb": JourneysDuckDB(database=str(database)),
        "project": JourneysProject(exports_dir=str(exports), sources_config=str(sources_config)),
    }
    result = dg.materialize(
        list(defs.assets) + list(defs.asset_checks), resources=resources,
        selection=dg.AssetSelection.assets("events"), partition_key="2026-03-02")
    assert result.success
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks == {"events_match_staged_rows": True, "event_key_unique": True,
                      "staged_events_outside_partitions": True}
    assert query("select * exclude (ingested_at) from events order by event_key") == snapshot
    week = query("select count(*) from events where event_week = '2026-03-02'")[0][0]
    # Fixture events dated Mon 2 - Sun 8 March 2026 (UTC): HubSpot 8 (contacts 101 and 102,
    # deal 5001, its appointmentscheduled change, lead lifecycle of 101, two list joins, one
    # workflow), SendGrid 6 (sg-1..sg-6), Segment 4 (s-2, s-3, s-5, s-7), Zendesk 5 (ticket,
    # two comments, solved, rating), surveys 1 (r1), store 2. Outside it: 99's lifecycle and
    # s-1 (1 March), deal won, 101 customer, s-4 (9 March), r2 and r4 (20-21 March).
    assert week == 26
