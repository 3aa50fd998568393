"""A generic source in each accepted format: the same three events must come out of each."""

import json

import duckdb
import pytest

from pipeline.cli import run_pipeline

ROWS = [
    # person_id, event, timestamp, plan
    ("u-1", "Trial Started", "2026-03-02T10:00:00+02:00", "pro"),
    ("u-1", "Upgraded", "2026-03-04 09:30:00", "pro"),      # naive: the source zone applies
    ("u-2", "Trial Started", "2026-03-03T00:00:00Z", None),
]


def _write(folder, fmt):
    folder.mkdir(parents=True)
    path = folder / f"events-1.{fmt}"
    if fmt == "jsonl":
        path.write_text("".join(json.dumps({"person_id": p, "event": e, "timestamp": t,
                                            "plan": plan}) + "\n" for p, e, t, plan in ROWS))
    elif fmt == "csv":
        path.write_text("person_id,event,timestamp,plan\n"
                        + "".join(f"{p},{e},{t},{plan or ''}\n" for p, e, t, plan in ROWS))
    else:
        with duckdb.connect() as conn:
            conn.execute("create table t (person_id varchar, event varchar, timestamp varchar, "
                         "plan varchar)")
            conn.executemany("insert into t values (?, ?, ?, ?)", ROWS)
            conn.execute("copy t to ? (format parquet)", [str(path)])


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_generic_events_in_every_format(tmp_path, fmt):
    exports = tmp_path / "exports"
    _write(exports / "app", fmt)
    config = tmp_path / "sources.yaml"
    config.write_text("sources:\n  app:\n    kind: generic\n    person_id_type: user_id\n"
                      "    event_type_prefix: app\n    timezone: Europe/Berlin\n")
    database = tmp_path / "j.duckdb"
    run_pipeline(exports, config, database, echo=False)
    with duckdb.connect(str(database), read_only=True) as conn:
        rows = conn.execute(
            "select user_id, event_type, occurred_at::varchar, occurred_at_tz_assumed, "
            "properties ->> 'plan' from events order by occurred_at").fetchall()
        customers = conn.execute("select count(*) from customers").fetchall()[0][0]
    assert rows == [
        ("u-1", "app.trial_started", "2026-03-02 08:00:00", None, "pro"),
        ("u-2", "app.trial_started", "2026-03-03 00:00:00", None, None),
        # 09:30 in Berlin (CET, UTC+1) is 08:30 UTC.
        ("u-1", "app.upgraded", "2026-03-04 08:30:00", "Europe/Berlin", "pro"),
    ]
    assert customers == 2
