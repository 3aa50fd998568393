"""Bulk loading details: skipping files seen before, non-object JSON lines, and cleaning up an
interrupted load. Expected numbers are counted by hand from tests/fixtures/exports."""

import os

from pipeline.resources import connect


def test_touched_file_is_skipped_by_its_content(run, query, exports):
    run()
    ledger = query("select count(*), sum(rows_read) from load_ledger")
    path = exports / "sendgrid" / "events-2026-03-04.jsonl"
    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime + 3600))  # same bytes, new modification time
    run()
    assert query("select count(*), sum(rows_read) from load_ledger") == ledger


def test_lines_that_are_json_but_not_objects_are_rejected(run, query, exports):
    # 3 lines: an array, a JSON null, one good page view (s-99): read 3 = 1 + 2 + 0.
    (exports / "segment" / "segment-extra.jsonl").write_text(
        '[1, 2]\nnull\n{"type": "page", "messageId": "s-99", "anonymousId": "anon-zed", '
        '"timestamp": "2026-03-05T10:00:00Z"}\n')
    run()
    assert query("select rows_read, rows_loaded, rows_rejected, rows_duplicate from load_ledger "
                 "where file like '%segment-extra.jsonl'") == [(3, 1, 2, 0)]
    assert query("select row_number, field, reason from load_rejects "
                 "where file like '%segment-extra.jsonl' order by row_number") == [
        (1, "line", "not a JSON object"), (2, "line", "not a JSON object")]
    assert query("select count(*) from events where source_event_id = 's-99'") == [(1,)]


def test_rows_of_an_interrupted_load_are_removed(run, query, database):
    run()
    loaded = query("select count(*) from raw_segment__events")[0][0]
    # A load that landed its rows but died before settling them has no ledger row.
    with connect(database) as conn:
        conn.execute("insert into raw_segment__events by name select 'lost-load' as _load_id, "
                     "_file, _row, _loaded_at, _natural_key, _record "
                     "from raw_segment__events")
    run()
    assert query("select count(*) from raw_segment__events") == [(loaded,)]
    assert query("select count(*) from raw_segment__events where _load_id = 'lost-load'") == [
        (0,)]
