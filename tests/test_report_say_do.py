"""Say versus do report on hand-made tables (tests/report_tables.py has the working)."""

import pytest

from browser import launch_or_skip, open_report
from dashboards import say_do
from dashboards.context import ReportContext
from dashboards.site import ReportSite
from pipeline.resources import connect
from report_tables import create_say_do_tables


@pytest.fixture
def page_and_html(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNEYS_REPORT_FREE_TEXT", "1")  # quoting comments is opt-in
    with connect(tmp_path / "s.duckdb") as conn:
        create_say_do_tables(conn)
        page = say_do.build(ReportContext(conn, None, "2026-10-26"))
        html = page.render()
    return page, html


def test_claims_gap_calibration_stalled_and_channels(page_and_html):
    page, html = page_and_html
    assert page.headline == [
        "Says they will buy <soon>: 14 of 35 did it (40 %, 95 % interval 26 %–56 %); 21 said "
        "it and did not.",
        "Promoters order again: 9 of 12 did it (75 %, 95 % interval 47 %–91 %); 3 said it and "
        "did not — small group, read with care.",
        "12 satisfied customers in Purchase did not reach their next milestone (60 % of the "
        "satisfied there).",
        "11 of 15 customers who stated a channel engaged mostly on it (73 %).",
    ]
    assert "Says they will buy &lt;soon&gt;" in html and "<soon>" not in html
    claims, calibration, stalled, channels = page.charts
    did = claims.figure.data[1]
    assert list(did.x) == [0.4, 0.75]
    assert list(did.error_x.arrayminus) == pytest.approx([0.14, 0.28])
    # Calibration: one line per claim, in-range scores drawn filled.
    intent = [t for t in calibration.figure.data if "soon" in t.name][0]
    assert list(intent.x) == [1.0, 3.0, 5.0]
    assert list(intent.marker.symbol) == ["circle-open", "circle-open", "circle"]
    # Awareness has no judged answer and is left out; Purchase satisfied 8/20.
    assert list(stalled.figure.data[0].y) == [0.4]
    assert [list(row) for row in channels.figure.data[0].z] == [[0.6, 0.4], [0, 1.0]]
    # In their words: the survey comment, escaped and masked; the support message never shown.
    comments = page.sections[-1].blocks[0]
    assert [r[::2] for r in comments.rows] == [
        ("Says they will buy <soon>", 5.0)]
    assert comments.rows[0][3] == ("<script>window.__pwned = 1</script> mail me: "
                                   "jo.doe@example.com")
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt; mail me: [email]" in html
    assert "jo.doe@example.com" not in html and "Jo Doe" not in html


def test_say_vs_do_draws_in_chromium(page_and_html, tmp_path):
    _, html = page_and_html
    written = ReportSite(tmp_path).write("say_vs_do", "Say", "", "2026-10-26", html)
    manager, browser = launch_or_skip()
    try:
        rendered = open_report(browser, written.latest_path, screenshot="say_vs_do_handmade")
    finally:
        browser.close()
        manager.stop()
    assert rendered.errors == []
    assert len(rendered.figures) == 4
    assert all(f["points"] > 0 and f["marks"] > 0 for f in rendered.figures), rendered.figures


def test_survey_comments_are_hidden_unless_asked_for(tmp_path, monkeypatch):
    monkeypatch.delenv("JOURNEYS_REPORT_FREE_TEXT", raising=False)
    with connect(tmp_path / "s.duckdb") as conn:
        create_say_do_tables(conn)
        html = say_do.build(ReportContext(conn, None, "2026-10-26")).render()
    assert "window.__pwned" not in html and "[email]" not in html
    assert "Survey comments are hidden by default" in html
