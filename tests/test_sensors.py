import json

import dagster as dg

from pipeline.project import JourneysProject
from pipeline.partitions import events_weekly_partition
from pipeline.sensors import inbox_sensor


def _evaluate(exports, cursor=None):
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(
            instance=instance, cursor=cursor,
            resources={"project": JourneysProject(exports_dir=str(exports),
                                                  sources_config="sources.yaml")})
        return inbox_sensor(context)


def test_new_file_requests_one_run(tmp_path):
    (tmp_path / "sendgrid").mkdir()
    (tmp_path / "sendgrid" / "a.jsonl").write_text("{}\n")
    result = _evaluate(tmp_path)
    assert isinstance(result, dg.SensorResult)
    [request] = result.run_requests
    # No valid event in the file: no week changes, the run still loads (and rejects) it,
    # building only the last complete week.
    last = events_weekly_partition.get_partition_keys()[-1]
    assert request.tags["dagster/asset_partition_range_start"] == last
    assert "sendgrid/a.jsonl" in request.run_key
    assert list(json.loads(result.cursor)) == ["sendgrid/a.jsonl"]

    again = _evaluate(tmp_path, cursor=result.cursor)
    assert isinstance(again, dg.SkipReason)

    (tmp_path / "sendgrid" / "b.jsonl").write_text("{}\n")
    third = _evaluate(tmp_path, cursor=result.cursor)
    assert "sendgrid/b.jsonl" in third.run_requests[0].run_key
    assert "a.jsonl" not in third.run_requests[0].run_key


def test_event_file_rebuilds_only_the_weeks_it_touches(tmp_path):
    # SendGrid events on Tue 3 and Tue 17 March 2026 (epoch seconds, UTC), plus a bad line:
    # weeks 2026-03-02 through 2026-03-16.
    (tmp_path / "sendgrid").mkdir()
    (tmp_path / "sendgrid" / "late.jsonl").write_text(
        '{"email": "a@x.io", "event": "open", "timestamp": 1772532000, "sg_event_id": "e1"}\n'
        '{"email": "a@x.io", "event": "open", "timestamp": 1773741600, "sg_event_id": "e2"}\n'
        '{"email": "a@x.io", "timest\n')
    [request] = _evaluate(tmp_path).run_requests
    assert request.tags["dagster/asset_partition_range_start"] == "2026-03-02"
    assert request.tags["dagster/asset_partition_range_end"] == "2026-03-16"


def test_snapshot_export_rebuilds_every_week(tmp_path):
    (tmp_path / "hubspot").mkdir()
    (tmp_path / "hubspot" / "contacts.csv").write_text(
        "Record ID,Email,Create Date,Last Modified Date\n1,a@x.io,2026-03-03 10:00,"
        "2026-03-04 10:00\n")
    [request] = _evaluate(tmp_path).run_requests
    assert request.tags["dagster/asset_partition_range_start"] == "2025-01-06"
