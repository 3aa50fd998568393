"""The living journey map on a hand-made map (tests/report_tables.py has the working)."""

import json

import pytest

from browser import launch_or_skip, open_report
from dashboards import journey_map
from dashboards.context import ReportContext
from dashboards.site import ReportSite
from pipeline.resources import connect
from report_tables import create_map_tables


@pytest.fixture
def map_page(tmp_path):
    with connect(tmp_path / "m.duckdb") as conn:
        create_map_tables(conn)
        page = journey_map.build(ReportContext(conn, None, "2026-10-26"))
        html = page.render()
    return page, html


def _figure(page):
    return page.charts[0].figure.to_plotly_json()


def test_sticky_notes_carry_their_measured_numbers(map_page):
    page, _ = map_page
    texts = [a["text"] for a in _figure(page)["layout"]["annotations"]]
    def note_text(label):  # the note whose wrapped label reads `label`
        (found,) = [t for t in texts if t.replace("<br>", " ").startswith(label + " ")]
        return found

    note = {label: note_text(label) for label in (
        "Visits the shop site", "Creates an account", "Gets a sales call", "Places an order")}
    assert note["Visits the shop site"].endswith("<b>10 · 83 %</b>")   # 10 of 12 customers
    # 6 of 12 customers; 6 of the 10 who reached M1 reached M2.
    assert note["Creates an account"].endswith("<b>6 · 50 %<br>M2: 60 % of M1</b>")
    assert note["Places an order"].endswith("<b>3 · 25 %<br>M3: 50 % of M2</b>")
    assert note["Gets a sales call"].endswith("<b>no data yet</b>")              # unmeasured
    assert sorted(t for t in texts if t.startswith("★")) == ["★ M1", "★ M2", "★ M3"]
    arrows = [a for a in _figure(page)["layout"]["annotations"] if a.get("showarrow")]
    assert len(arrows) == 2  # M1 -> M2 -> M3
    # Stage headers and department lanes, in the map's and the lane order.
    assert [t for t in texts if t in ("<b>Awareness</b>", "<b>Consideration</b>",
                                      "<b>Purchase</b>")] == [
        "<b>Awareness</b>", "<b>Consideration</b>", "<b>Purchase</b>"]
    lanes = [t for t in texts if t in ("<b>marketing</b>", "<b>sales</b>", "<b>support</b>")]
    assert lanes == ["<b>marketing</b>", "<b>sales</b>", "<b>support</b>"]


def test_notes_are_coloured_by_department_and_unmeasured_ones_are_grey(map_page):
    page, _ = map_page
    fig = _figure(page)
    notes = [s for s in fig["layout"]["shapes"] if s["type"] == "rect" and "dash" in s["line"]]
    fills = sorted(s["fillcolor"] for s in notes)
    # marketing x3 orange, sales: order blue-sky, call unmeasured grey, support purple.
    assert fills == sorted(["#E69F00"] * 3 + ["#56B4E9", "#eeeeee", "#CC79A7"])
    legend = [t["name"] for t in fig["data"] if t.get("showlegend") is not False]
    assert legend == ["marketing", "sales", "support"]


def test_milestone_table_and_escaped_map_title(map_page):
    page, html = map_page
    assert "Shop &amp; co — as drawn" in html
    reach = page.sections[0].blocks[1]
    assert [r[:3] for r in reach.rows] == [(1, "first_visit", 10), (2, "signed_up", 6),
                                           (3, "first_order", 3)]
    assert reach.rows[1][3] == pytest.approx(0.6) and reach.rows[2][3] == pytest.approx(0.5)


def test_journey_map_draws_in_chromium(map_page, tmp_path):
    _, html = map_page
    written = ReportSite(tmp_path).write("journey_map", "Map", "", "2026-10-26", html)
    manager, browser = launch_or_skip()
    try:
        rendered = open_report(browser, written.latest_path, screenshot="journey_map_handmade")
    finally:
        browser.close()
        manager.stop()
    assert rendered.errors == []
    (fig,) = rendered.figures
    assert fig["points"] == 6 and fig["marks"] >= 6  # one hover point per sticky note
