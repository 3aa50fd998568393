"""`journeys funnel`: spec and file errors name the field or row; JSON and table output."""

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config_errors import ConfigError
from pipeline.funnels.spec import load_spec

runner = CliRunner()

EVENTS_CSV = """person_id,event,timestamp,browser
a,signup,2026-01-01T00:00:00Z,Safari
a,paid,2026-01-01T02:00:00+01:00,Safari
b,signup,2026-01-01T00:00:00Z,Chrome
b,paid,2026-01-20T00:00:00Z,Chrome
"""
SPEC = "steps:\n  - event: signup\n  - event: paid\nwindow: 14d\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def run(*args):
    result = runner.invoke(app, ["funnel", *map(str, args)])
    return result.exit_code, result.output


def test_json_output_in_every_file_format(tmp_path):
    import duckdb

    csv = write(tmp_path, "events.csv", EVENTS_CSV)
    spec = write(tmp_path, "f.yaml", SPEC)
    duckdb.execute(f"copy (select * from read_csv('{csv}')) to '{tmp_path / 'e.parquet'}'")
    duckdb.execute(f"copy (select * from read_csv('{csv}', all_varchar=true)) "
                   f"to '{tmp_path / 'e.jsonl'}' (format json)")
    for events in (csv, tmp_path / "e.parquet", tmp_path / "e.jsonl"):
        code, out = run("--events", events, "--spec", spec, "--people", "--format", "json")
        assert code == 0, out
        steps = json.loads(out)["steps"]
        # a: signup 00:00Z, paid 01:00Z (02:00+01:00) -> 1h; b: paid 19 days later > 14d.
        assert [s["count"] for s in steps] == [2, 1]
        assert steps[1]["median_seconds"] == 3600
        assert steps[1]["people"] == ["a"] and steps[1]["dropped_people"] == ["b"]
        assert steps[1]["conversion_from_previous"] == 0.5


def test_table_output(tmp_path):
    code, out = run("--events", write(tmp_path, "e.csv", EVENTS_CSV),
                    "--spec", write(tmp_path, "f.yaml", SPEC))
    assert code == 0, out
    assert "1 paid" in out and "50.0%" in out and "1.0h" in out


def test_spec_json_is_accepted(tmp_path):
    spec = write(tmp_path, "f.json", json.dumps(
        {"steps": [{"event": "signup"}, {"event": "paid"}], "window": "20d"}))
    code, out = run("--events", write(tmp_path, "e.csv", EVENTS_CSV), "--spec", spec,
                    "--format", "json")
    assert code == 0, out
    assert [s["count"] for s in json.loads(out)["steps"]] == [2, 2]


@pytest.mark.parametrize("text, expected", [
    ("steps:\n  - event: a\n  - evnt: b\n", ["f.yaml:3: steps.1.evnt", "did you mean 'event'"]),
    ("steps:\n  - event: a\n  - event: b\norder: sideways\n", ["f.yaml:4: order"]),
    ("steps:\n  - event: a\n  - event: b\nwindow: 3 fortnights\n", ["f.yaml:4: window"]),
    ("steps:\n  - event: a\n  - event: b\nexclusions:\n  - {event: x, from_step: 0, to_step: 5}\n",
     ["f.yaml:5: exclusions.0.to_step", "past the last step"]),
    ("steps:\n  - event: a\n", ["steps", "at least 2"]),
    ("steps:\n  - event: a\n    where: [{property: x, op: gt, value: big}]\n  - event: b\n",
     ["f.yaml:3: steps.0.where.0", "needs a number"]),
    ("steps:\n  - event: a\n  - event: b\nbreakdown: {properties: [x], attribution: step}\n",
     ["f.yaml:4: breakdown", "needs `step: N`"]),
    ("steps:\n  - event: a\n  - event: b\norder: unordered\nbreakdown: "
     "{properties: [x], attribution: step, step: 1}\n", ["breakdown.step", "unordered"]),
    ("steps:\n  - event: a\n    window: 2h\n  - event: b\n",
     ["f.yaml:3: steps.0.window", "no previous step"]),
    ("steps:\n  - event: a\n  - event: b\n    window: 2h\norder: unordered\n",
     ["f.yaml:4: steps.1.window", "unordered"]),
    ("steps:\n  - event: a\n  - event: b\n    window: 0h\n", ["f.yaml:4: steps.1.window",
                                                            "must be positive"]),
    ("steps:\n  - event: a\n  - event: b\n    within_funnel_window: false\n",
     ["f.yaml:4: steps.1.within_funnel_window", "needs its own `window`"]),
])
def test_spec_errors_name_line_and_field(tmp_path, text, expected):
    with pytest.raises(ConfigError) as info:
        load_spec(write(tmp_path, "f.yaml", text))
    for part in expected:
        assert part in str(info.value)


def test_unknown_property_is_reported_with_its_field(tmp_path):
    spec = write(tmp_path, "f.yaml", SPEC.replace(
        "  - event: paid\n", "  - event: paid\n    where: [{property: plan, value: pro}]\n"))
    code, out = run("--events", write(tmp_path, "e.csv", EVENTS_CSV), "--spec", spec)
    assert code == 2
    assert "steps.1.where.0.property: unknown property 'plan'" in out


@pytest.mark.parametrize("csv, expected", [
    ("person_id,event,when\na,signup,2026-01-01\n", "no column 'timestamp'"),
    ("person_id,event,timestamp\na,signup,2026-01-01T00:00:00Z\n,paid,2026-01-02T00:00:00Z\n",
     "row 2 (line 3): person_id is empty"),
    ("person_id,event,timestamp\na,signup,2026-01-01T00:00:00Z\na,paid,yesterday\n",
     "row 2 (line 3): timestamp is missing or not a time"),
])
def test_file_errors_name_the_row_or_column(tmp_path, csv, expected):
    code, out = run("--events", write(tmp_path, "e.csv", csv),
                    "--spec", write(tmp_path, "f.yaml", SPEC))
    assert code == 2
    assert "e.csv" in out and expected in out


def test_person_breakdown_needs_a_persons_file(tmp_path):
    spec = write(tmp_path, "f.yaml", SPEC + "breakdown: {properties: [plan], source: person}\n")
    code, out = run("--events", write(tmp_path, "e.csv", EVENTS_CSV), "--spec", spec)
    assert code == 2 and "--persons" in out
    persons = write(tmp_path, "p.csv", "person_id,plan\na,pro\nb,free\n")
    code, out = run("--events", tmp_path / "e.csv", "--spec", spec, "--persons", persons,
                    "--format", "json")
    assert code == 0, out
    got = {tuple(g["value"]): [s["count"] for s in g["steps"]]
           for g in json.loads(out)["breakdowns"]}
    assert got == {("pro",): [1, 1], ("free",): [1, 0]}
