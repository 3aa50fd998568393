import json

import dagster as dg

from pipeline.project import JourneysProject
from pipeline.sensors import inbox_sensor


def _evaluate(exports, cursor=None):
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(
            instance=instance, cursor=cursor,
            resources={"project": JourneysProject(exports_dir=str(exports),
                                                  sources_config="sources.yaml")})
        return inbox_sensor(context)


def test_new_file_requests_one_run_over_all_weeks(tmp_path):
    (tmp_path / "sendgrid").mkdir()
    (tmp_path / "sendgrid" / "a.jsonl").write_text("{}\n")
    result = _evaluate(tmp_path)
    assert isinstance(result, dg.SensorResult)
    [request] = result.run_requests
    assert request.tags["dagster/asset_partition_range_start"] == "2025-01-06"
    assert "sendgrid/a.jsonl" in request.run_key
    assert list(json.loads(result.cursor)) == ["sendgrid/a.jsonl"]

    again = _evaluate(tmp_path, cursor=result.cursor)
    assert isinstance(again, dg.SkipReason)

    (tmp_path / "sendgrid" / "b.jsonl").write_text("{}\n")
    third = _evaluate(tmp_path, cursor=result.cursor)
    assert "sendgrid/b.jsonl" in third.run_requests[0].run_key
    assert "a.jsonl" not in third.run_requests[0].run_key
