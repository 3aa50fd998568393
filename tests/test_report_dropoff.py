"""Weekly drop-off report: the headline tells only significant changes; the page's sections on
hand-made funnel tables (tests/report_tables.py has the working)."""

import pandas as pd
import pytest

from browser import launch_or_skip, open_report
from dashboards import dropoff
from dashboards.context import ReportContext
from dashboards.page import Chart, fmt_duration
from dashboards.site import ReportSite
from pipeline.resources import connect
from report_tables import MAP_ID, create_funnel_tables


@pytest.fixture
def funnel_db(tmp_path):
    path = tmp_path / "f.duckdb"
    with connect(path) as conn:
        create_funnel_tables(conn)
    return path


def test_headline_names_only_the_significant_changes(funnel_db):
    with connect(funnel_db, read_only=True) as conn:
        wow = ReportContext(conn, None, "").frame("dropoff_week_over_week", map_id=MAP_ID)
    week, sentences = dropoff.headline(wow)
    assert week == "2026-10-12"
    assert sentences[0] == (
        "Signed up → first order: conversion fell to 20 % for customers who entered in the week "
        "of 2026-10-12, from 45 % the week before (25 points, 6 of 30; significant, q = 0.040).")
    assert sentences[1].startswith("Among customers whose persona is Rider: signed up → first "
                                   "order fell to 10 % from 67 % (57 points; q = 0.030).")
    assert sentences[2].startswith("Signed up → first order is still significantly below its "
                                   "best week (2026-10-05: 45 %)")
    # The 6-point dip in sign-ups (q = 0.60) is noise and is not told.
    assert not any("First visit → signed up" in s for s in sentences)
    assert len(sentences) == 3


def test_headline_says_so_when_nothing_changed_significantly(funnel_db):
    with connect(funnel_db, read_only=True) as conn:
        wow = ReportContext(conn, None, "").frame("dropoff_week_over_week", map_id=MAP_ID)
    calm = wow.assign(significant_vs_previous=False, significant_vs_high_water=False)
    week, sentences = dropoff.headline(calm)
    assert sentences == [
        "No step's conversion changed significantly for customers who entered in the week of "
        "2026-10-12, compared with the week before (3 step and segment comparisons tested; "
        "differences this small are within normal week-to-week noise)."]
    assert dropoff.headline(wow.iloc[0:0])[0] is None


def test_a_later_week_too_small_to_test_is_named_and_skipped(funnel_db):
    with connect(funnel_db, read_only=True) as conn:
        wow = ReportContext(conn, None, "").frame("dropoff_week_over_week", map_id=MAP_ID)
    tiny = wow[(wow["dimension"] == "all") & (wow["step_index"] == 1)].tail(1).assign(
        entry_week=pd.Timestamp("2026-10-19"), entered=1, converted=0, rate=0.0,
        significant_vs_previous=False, significant_vs_high_water=False)
    week, sentences = dropoff.headline(pd.concat([wow, tiny]))
    assert week == "2026-10-12"   # 50 entrants; the week of 2026-10-19 has 1
    assert sentences[0].startswith("Customers who entered after the week of 2026-10-12 are "
                                   "still too few to compare")
    assert sentences[1].startswith("Signed up → first order: conversion fell to 20 %")


def test_page_sections_carry_the_funnel_numbers(funnel_db, tmp_path):
    with connect(funnel_db, read_only=True) as conn:
        page = dropoff.build(ReportContext(conn, None, "2026-10-26"))
        html = page.render()
    titles = [c.title for c in page.charts]
    assert titles == [
        "Customers reaching each milestone",
        "Share of customers who reached each milestone, by days since the first",
        "Drop-off rate per step over the entry weeks",
        "Customers at each step: went on, still in progress, dropped",
        "Last touchpoint before dropping (top 5 per step)", "What they did next (top 5 per step)",
        "Funnel by persona", "Funnel by first-touch channel"]
    funnel, time_to, weekly, status = page.charts[:4]
    # Each curve starts at 0 on day 0 and steps up at each conversion time: signed up 30 %,
    # 53.3 %, 66.7 % on days 1, 3, 7; first order 10 %, 32 % on days 2, 5.
    assert [list(t.x) for t in time_to.figure.data] == [[0, 1, 3, 7], [0, 2, 5]]
    assert list(time_to.figure.data[0].y) == pytest.approx([0, 0.3, 1 - 0.7 * 40 / 60, 2 / 3])
    assert list(time_to.figure.data[1].y) == pytest.approx([0, 0.1, 0.32])
    # Half of the entrants had signed up by day 3; orders never reach half: no median.
    assert [fmt_duration(r[5]) for r in time_to.table.rows] == ["3.0 d", "–"]
    assert list(funnel.figure.data[0].y) == [100, 60, 21]
    assert list(funnel.figure.data[1].y) == [0, 5, 4]       # still in their window
    # 100 at the first step = 60 went on + 5 in progress + 35 dropped.
    assert [list(t.x) for t in status.figure.data] == [[60, 21], [5, 4], [35, 35]]
    # Week of 2026-10-12, step 2: 17 dropped of 6 + 17 resolved.
    rate = {(r[0], r[1]): r[6] for r in weekly.table.rows}
    assert rate[("2026-10-12", "Signed up → first order")] == pytest.approx(17 / 23)
    last = page.charts[4].table.rows
    assert last[0][:2] == ("First visit → signed up", "Visits the shop site")
    assert "In plain words" in html and "Rider" in html


def test_weekly_dropoff_draws_in_chromium(funnel_db, tmp_path):
    with connect(funnel_db, read_only=True) as conn:
        html = dropoff.build(ReportContext(conn, None, "2026-10-26")).render()
    written = ReportSite(tmp_path).write("weekly_dropoff", "Drop", "", "2026-10-26", html)
    manager, browser = launch_or_skip()
    try:
        rendered = open_report(browser, written.latest_path, screenshot="weekly_dropoff_handmade")
    finally:
        browser.close()
        manager.stop()
    assert rendered.errors == []
    assert len(rendered.figures) == 8
    assert all(f["points"] > 0 and f["marks"] > 0 for f in rendered.figures)
