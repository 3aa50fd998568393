"""Attribution report on hand-made tables (tests/report_tables.py has the working)."""

import pytest

from browser import launch_or_skip, open_report
from dashboards import attribution
from dashboards.context import ReportContext
from dashboards.site import ReportSite
from pipeline.resources import connect
from report_tables import create_attribution_tables


@pytest.fixture
def page_and_html(tmp_path):
    with connect(tmp_path / "a.duckdb") as conn:
        create_attribution_tables(conn)
        page = attribution.build(ReportContext(conn, None, "2026-10-26"))
        html = page.render()
    return page, html


def test_credits_per_model_add_up_and_markov_leads(page_and_html):
    page, _ = page_and_html
    touch, channel, removal, persona, branches, opportunity = page.charts
    # Touchpoints ordered by Markov credit (5, 3, 2), labelled with the sticky-note wording.
    assert [t.name for t in touch.figure.data] == ["markov", "first touch", "last touch",
                                                   "linear"]
    assert list(touch.figure.data[0].y) == ["Visits the shop site", "Creates an account",
                                            "Places an order"]
    for trace in touch.figure.data:
        assert sum(trace.x) == pytest.approx(10)  # every model shares the same 10 conversions
    assert list(touch.figure.data[2].x) == [0, 3, 7]  # last touch
    assert touch.table.rows[0] == ("Visits the shop site", 5.0, 10.0, 0.0, 4.0)
    assert list(channel.figure.data[0].x) == [8.0, 2.0]
    assert list(removal.figure.data[0].x) == [1.0, 0.6, 0.4]
    # Persona heatmap columns are personas, each column the persona's credit shares.
    assert list(persona.figure.data[0].x) == ["Rider", "Walker"]
    # Rows by credit over all personas: sign-up 6, visit 3, order 1.
    assert list(persona.figure.data[0].y) == ["Creates an account", "Visits the shop site",
                                              "Places an order"]
    assert [list(r) for r in persona.figure.data[0].z] == [[0, 1.0], [0.75, 0], [0.25, 0]]
    assert list(branches.figure.data[0].x) == [0.1, 0.4]  # nothing (80 anchors), clicked (20)
    assert page.headline == ["Biggest opportunity: the step into first order at the target "
                             "rate would add about 7 endpoint conversions."]
    assert list(opportunity.figure.data[0].x) == [7.2, 0.0]


def test_attribution_draws_in_chromium(page_and_html, tmp_path):
    _, html = page_and_html
    written = ReportSite(tmp_path).write("attribution", "Attr", "", "2026-10-26", html)
    manager, browser = launch_or_skip()
    try:
        rendered = open_report(browser, written.latest_path, screenshot="attribution_handmade")
    finally:
        browser.close()
        manager.stop()
    assert rendered.errors == []
    assert len(rendered.figures) == 6
    assert all(f["points"] > 0 and f["marks"] > 0 for f in rendered.figures), rendered.figures
