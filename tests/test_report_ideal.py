"""As-is vs ideal report on hand-made tables (tests/report_tables.py has the working)."""

import pytest

from browser import launch_or_skip, open_report
from dashboards import ideal
from dashboards.context import ReportContext
from dashboards.palette import BAD, GOOD, NEUTRAL
from dashboards.site import ReportSite
from pipeline.resources import connect
from report_tables import create_conformance_tables


@pytest.fixture
def page_and_html(tmp_path):
    with connect(tmp_path / "c.duckdb") as conn:
        create_conformance_tables(conn)
        page = ideal.build(ReportContext(conn, None, "2026-10-26"))
        html = page.render()
    return page, html


def _arrows(chart):
    return [a for a in chart.figure.to_plotly_json()["layout"]["annotations"]
            if a.get("showarrow")]


def _labels(chart):
    return [a["text"] for a in chart.figure.to_plotly_json()["layout"]["annotations"]
            if a.get("bgcolor")]


def test_unexpected_and_missing_edges_are_highlighted(page_and_html):
    page, _ = page_and_html
    ideal_map, as_is = page.charts[:2]
    # Ideal: milestone steps with target vs actual, and the follow-up that went missing.
    assert _labels(ideal_map) == [
        "target 70 % in 2.0 d · actual 60 %", "target 40 % in 3.0 d · actual 50 %",
        "follow-up within 3.0 d: 60 % done, 4 missing"]
    assert [a["arrowcolor"] for a in _arrows(ideal_map)] == [BAD, GOOD, BAD]
    # As-is: expected moves blue, the skip and the step back vermillion; no self-loop.
    verdicts = {(r[0], r[1]): r[4] for r in as_is.table.rows}
    assert verdicts == {("visit", "sign_up"): "expected", ("newsletter", "visit"): "expected",
                        ("order", "ticket"): "expected", ("visit", "order"): "UNEXPECTED",
                        ("order", "sign_up"): "UNEXPECTED"}
    colours = [a["arrowcolor"] for a in _arrows(as_is)]
    assert colours == [NEUTRAL, NEUTRAL, NEUTRAL, BAD, BAD, BAD]  # + the missing follow-up
    assert "8× · 1.0 h" in _labels(as_is)
    dashed = [s for s in as_is.figure.to_plotly_json()["layout"]["shapes"]
              if s["type"] == "line" and s["line"].get("dash") == "dash"]
    assert len(dashed) == 1
    # The required touchpoint (sign-up) has a blue outline.
    outlined = [s for s in ideal_map.figure.to_plotly_json()["layout"]["shapes"]
                if s["type"] == "rect" and s["line"].get("color") == NEUTRAL]
    assert len(outlined) == 1


def test_headline_trend_targets_gaps_and_handoffs(page_and_html):
    page, html = page_and_html
    assert page.headline == [
        "50 % of the 10 closed journeys follow the ideal stage order exactly; log fitness 82 % "
        "(2 journeys still in progress are not scored).",
        "Fix first: the step into signed up converts at 60 % against a target of 70 %; meeting "
        "it would bring about 2 more customers to the endpoint."]
    titles = [c.title for c in page.charts]
    assert titles[2:] == [
        "Conformance to the ideal stage order, per entry week",
        "Conversion into each milestone against its target",
        "Extra customers at the endpoint if each step met its target",
        "Most frequent deviations from the ideal", "Customers lost after each handoff"]
    trend, targets, gaps, deviations, handoffs = page.charts[2:]
    assert list(trend.figure.data[0].y) == [0.78, 0.88]
    assert list(targets.figure.data[1].y) == [0.7, 0.4]
    assert list(gaps.figure.data[0].x) == [2.0, 0.0]
    assert list(deviations.figure.data[0].y) == ["skipped stage: Consideration",
                                                 "looped back: Consideration"]
    assert list(handoffs.figure.data[0].y) == ["marketing → sales", "sales → support"]
    assert "Visitors who skip the newsletter are nudged to sign up" in html


def test_as_is_vs_ideal_draws_in_chromium(page_and_html, tmp_path):
    _, html = page_and_html
    written = ReportSite(tmp_path).write("as_is_vs_ideal", "Ideal", "", "2026-10-26", html)
    manager, browser = launch_or_skip()
    try:
        rendered = open_report(browser, written.latest_path, screenshot="as_is_vs_ideal_handmade")
    finally:
        browser.close()
        manager.stop()
    assert rendered.errors == []
    assert len(rendered.figures) == 7
    assert all(f["points"] > 0 and f["marks"] > 0 for f in rendered.figures), rendered.figures
