"""Raw loading, rejects, reconciliation and idempotence, on the hand-written fixture company.

Expected numbers are counted by hand from tests/fixtures/exports.
"""

import pytest

from pipeline.cli import run_pipeline
from pipeline.loading import ExportFileError

# (source, object): (rows read, loaded, rejected, duplicate), counted in the fixture files.
EXPECTED_LEDGER = {
    ("hubspot", "contacts"): (4, 2, 1, 1),          # 101 exported twice; 103 "tomorrow"
    ("hubspot", "deals"): (1, 1, 0, 0),
    ("hubspot", "deal_property_history"): (4, 3, 1, 0),   # "not-a-number" timestamp
    ("hubspot", "contact_property_history"): (3, 3, 0, 0),
    ("hubspot", "list_memberships"): (2, 2, 0, 0),
    ("hubspot", "workflow_enrollments"): (1, 1, 0, 0),
    ("sendgrid", "events"): (9, 6, 1, 2),   # sg-3 twice in a file, sg-2 retried a week later
    ("segment", "events"): (9, 6, 2, 1),    # s-3 twice; "not-a-date"; no messageId
    ("zendesk", "users"): (2, 2, 0, 0),
    ("zendesk", "tickets"): (3, 2, 1, 0),   # two snapshots of 77; a truncated line
    ("zendesk", "ticket_comments"): (2, 2, 0, 0),
    ("zendesk", "ticket_metrics"): (1, 1, 0, 0),
    ("zendesk", "satisfaction_ratings"): (1, 1, 0, 0),
    ("surveys", "responses"): (4, 3, 1, 0),  # r3 has 3 of 8 columns
    ("store", "events"): (3, 2, 1, 0),      # a visit without person_id
    ("store", "persons"): (1, 1, 0, 0),
}

EXPECTED_REJECTS = [
    ("hubspot", "contacts", 4, "Create Date"),
    ("hubspot", "deal_property_history", 4, "timestamp"),
    ("segment", "events", 7, "timestamp"),
    ("segment", "events", 8, "messageId"),
    ("sendgrid", "events", 7, "line"),
    ("store", "events", 3, "person_id"),
    ("surveys", "responses", 3, None),
    ("zendesk", "tickets", 3, "line"),
]


def test_ledger_matches_hand_counts(run, query):
    run()
    ledger = query("select source, object, sum(rows_read), sum(rows_loaded), "
                   "sum(rows_rejected), sum(rows_duplicate) from load_ledger group by all")
    assert {(s, o): tuple(r) for s, o, *r in ledger} == EXPECTED_LEDGER
    for (read, loaded, rejected, duplicate) in EXPECTED_LEDGER.values():
        assert read == loaded + rejected + duplicate


def test_rejects_name_file_row_and_field(run, query):
    run()
    rejects = query("select source, object, row_number, field, file, reason, raw_text "
                    "from load_rejects order by source, object, row_number")
    got = [(s, o, r, f) for s, o, r, f, *_ in rejects]
    expected = sorted(EXPECTED_REJECTS, key=lambda x: (x[0], x[1], x[2]))
    assert [(s, o, r) for s, o, r, _ in got] == [(s, o, r) for s, o, r, _ in expected]
    for (s, o, r, field), (_, _, _, want) in zip(got, expected):
        if want is not None:
            assert field == want
    by_key = {(s, o, r): (file, reason, text) for s, o, r, _, file, reason, text in rejects}
    file, reason, text = by_key[("sendgrid", "events", 7)]
    assert file.endswith("sendgrid/events-2026-03-04.jsonl")
    assert reason == "not valid JSON"
    assert text == '{"email":"bo@northwind.io","timestamp":17726'
    assert "MISSING COLUMNS" in by_key[("surveys", "responses", 3)][1]
    assert by_key[("segment", "events", 7)][1] == "timestamp is not ISO-8601: not-a-date"


def test_reload_adds_nothing(run, query):
    run()
    before = query("select (select count(*) from events), (select count(*) from load_rejects),"
                   " (select count(*) from raw_sendgrid__events), (select count(*) from customers)")
    ledger_rows = query("select count(*) from load_ledger")[0][0]
    run()
    after = query("select (select count(*) from events), (select count(*) from load_rejects),"
                  " (select count(*) from raw_sendgrid__events), (select count(*) from customers)")
    assert after == before
    assert query("select count(*) from load_ledger")[0][0] == ledger_rows


def test_renamed_copy_counts_as_duplicates(run, query, exports):
    run()
    original = exports / "sendgrid" / "events-2026-03-04.jsonl"
    (exports / "sendgrid" / "events-copy.jsonl").write_text(original.read_text() + "\n{}\n")
    run()
    read, loaded, rejected, duplicate = query(
        "select rows_read, rows_loaded, rows_rejected, rows_duplicate from load_ledger "
        "where file like '%events-copy.jsonl'")[0]
    # 7 rows as before (5 keys seen, 1 bad line), plus "{}" which has no event.
    assert (read, loaded, rejected, duplicate) == (8, 0, 2, 6)
    assert query("select count(*) from raw_sendgrid__events")[0][0] == 6


def test_missing_required_column_names_file_and_columns(exports, database, sources_config):
    path = exports / "hubspot" / "deals.csv"
    path.write_text("Record ID,Deal Name\n5001,x\n")
    with pytest.raises(Exception) as info:
        run_pipeline(exports, sources_config, database, echo=False)
    message = str(info.value)
    assert "deals.csv" in message
    assert "'Deal Stage'" in message and "'Create Date'" in message


def test_unknown_format_is_a_clear_error(exports, database, tmp_path):
    (exports / "generic" / "events-extra.xlsx").write_bytes(b"PK\x03\x04")
    config = tmp_path / "sources.yaml"
    config.write_text("sources:\n  pos:\n    kind: generic\n    folder: generic\n"
                      "    objects:\n      events: {files: ['events-*']}\n")
    with pytest.raises(Exception) as info:
        run_pipeline(exports, config, database, echo=False)
    assert "events-extra.xlsx" in str(info.value)
    assert "unknown format '.xlsx'" in str(info.value)


def test_loader_error_type(exports):
    from pathlib import Path

    from pipeline.loading import file_format
    from pipeline.sources import default_sources_config, resolve

    obj = next(o for o in resolve(default_sources_config(), Path(exports))
               if o.source == "sendgrid")
    with pytest.raises(ExportFileError, match="unknown format"):
        file_format(obj, Path("x.csv"))


def test_times_are_utc_with_zone_assumptions_recorded(run, query):
    run()
    # HubSpot UI export "2026-03-02 09:00" in America/New_York (EST, UTC-5).
    occurred, tz = query("select occurred_at::varchar, occurred_at_tz_assumed from events "
                         "where event_type = 'crm.contact_created' and source_event_id = '101'")[0]
    assert (occurred, tz) == ("2026-03-02 14:00:00", "America/New_York")
    # Segment "2026-03-01T10:00:00.000+01:00" has its own offset: no zone assumed.
    occurred, tz = query("select occurred_at::varchar, occurred_at_tz_assumed from events "
                         "where source_event_id = 's-1'")[0]
    assert (occurred, tz) == ("2026-03-01 09:00:00", None)
    # SendGrid epoch seconds given as a string.
    assert query("select occurred_at::varchar from events where source_event_id = 'sg-3'") == [
        ("2026-03-03 10:00:00",)]
    # HubSpot history epoch milliseconds.
    assert query("select occurred_at::varchar from events where event_type = 'crm.deal_won'") == [
        ("2026-03-09 20:00:00",)]
    # Survey "2026-03-04 08:00:00" in America/Chicago (CST, UTC-6).
    assert query("select occurred_at::varchar from events where source_event_id = 'r1'") == [
        ("2026-03-04 14:00:00",)]
