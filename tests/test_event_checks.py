"""Checks on the weekly `events` build: staged events no partition covers, and duplicate keys."""

from datetime import date, datetime, timezone

import dagster as dg

from pipeline import sql, staging
from pipeline.definitions import defs
from pipeline.project import JourneysProject
from pipeline.resources import JourneysDuckDB, connect


def test_events_outside_every_partition_are_reported(run, exports, database, sources_config):
    # One page view before JOURNEYS_FIRST_WEEK (2025-01-06), one in the current, unfinished
    # week (now): no weekly partition holds either.
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    (exports / "segment" / "segment-outside.jsonl").write_text(
        '{"type": "page", "messageId": "s-old", "anonymousId": "anon-x", '
        '"timestamp": "2024-06-03T10:00:00Z"}\n'
        '{"type": "page", "messageId": "s-now", "anonymousId": "anon-x", '
        f'"timestamp": "{now}"}}\n')
    run()
    resources = {
        "duckdb": JourneysDuckDB(database=str(database)),
        "project": JourneysProject(exports_dir=str(exports), sources_config=str(sources_config)),
    }
    result = dg.materialize(
        list(defs.assets) + list(defs.asset_checks), resources=resources,
        selection=dg.AssetSelection.assets("events"), partition_key="2026-03-02")
    assert result.success  # a warning, not a failure
    check = next(e for e in result.get_asset_check_evaluations()
                 if e.check_name == "staged_events_outside_partitions")
    assert not check.passed
    assert check.severity == dg.AssetCheckSeverity.WARN
    meta = {k: v.value for k, v in check.metadata.items()}
    assert (meta["before_first_week"], meta["in_unfinished_week"]) == (1, 1)
    assert meta["earliest"] == "2024-06-03 10:00:00"


def test_duplicate_event_keys_counts_repeats(tmp_path):
    with connect(tmp_path / "db.duckdb") as conn:
        sql.run(conn, "raw/create_macros")
        sql.run(conn, "staging/create_events")
        week = date(2026, 3, 2)
        # keys a, a, b in the week and c the week after: 3 rows in the week, 1 repeat.
        for key, day in (("a", 2), ("a", 3), ("b", 4), ("c", 9)):
            at = datetime(2026, 3, day, 12)
            conn.execute(
                "insert into events (event_key, event_week, source_system, source_category, "
                "source_object, source_event_id, raw_file, raw_record_locator, event_type, "
                "occurred_at, ingested_at) values (?, week_of(?::timestamp), 's', 'c', 'o', ?, "
                "'f', 'f:1', 't', ?, ?)", [key, at, key, at, at])
        assert staging.duplicate_event_keys(conn, week, date(2026, 3, 9)) == (3, 1)
        assert staging.duplicate_event_keys(conn, date(2026, 3, 9), date(2026, 3, 16)) == (1, 0)
