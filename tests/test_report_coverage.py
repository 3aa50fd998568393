"""Touchpoint inventory and map coverage on the hand-made map (tests/report_tables.py)."""

from dashboards import coverage
from dashboards.context import ReportContext
from dashboards.page import Chart
from pipeline.resources import connect
from report_tables import create_map_tables


def test_inventory_unmapped_unmeasured_and_overlaps(tmp_path):
    with connect(tmp_path / "m.duckdb") as conn:
        create_map_tables(conn)
        page = coverage.build(ReportContext(conn, None, "2026-10-26"))
        html = page.render()
    (sec,) = [s for s in page.sections if s.heading.startswith("Touchpoint inventory")]
    inventory, unmapped, unmeasured, overlaps = sec.blocks
    assert isinstance(inventory, Chart) and isinstance(unmapped, Chart)
    bars = inventory.figure.data[0]
    # Map order (stage, then department, then id); the sales call has no bar length.
    assert list(bars.x) == [4, 10, 6, 0, 3, 1]
    assert list(bars.marker.color) == ["#E69F00"] * 3 + ["#56B4E9", "#56B4E9", "#CC79A7"]
    assert [r[:2] for r in unmapped.table.rows] == [
        ("hubspot · crm.deal_lost", 7), ("segment · web.page_viewed", 5)]
    # Raw names are capped at five, and markup in a raw name stays text.
    assert unmapped.table.rows[1][4] == "Account, Careers, FAQ, Jobs, Press, …"
    assert "Lost &lt;b&gt;deal&lt;/b&gt;" in html
    assert unmeasured.rows == [("call", "Gets a sales call", "Consideration", "sales",
                                "no event matches its rule")]
    assert overlaps.rows == [("visit > newsletter", "visit", 3)]
