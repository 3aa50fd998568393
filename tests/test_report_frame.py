"""The report frame without a browser: escaping, redaction, chart rules, folder layout."""

from datetime import datetime

import plotly.graph_objects as go
import pytest

from dashboards.context import as_of_time, week_of
from dashboards.page import Chart, ChartError, Page, Table, redact
from dashboards.palette import OKABE_ITO, contrast_ratio, text_colour_on
from dashboards.site import PLOTLY_JS, ReportSite, plotly_js_source

EVIL = "<script>window.__pwned = 1</script><img src=x onerror='window.__pwned=2'>"


def _chart(title="Orders per week", x="Week starting (Monday, UTC)", y="Orders (count)",
           how="Taller bars mean more orders.", name="orders"):
    fig = go.Figure(go.Bar(x=["2026-10-19", "2026-10-26"], y=[3, 5], name=name))
    fig.update_xaxes(title_text=x)
    fig.update_yaxes(title_text=y)
    return Chart(title, how, fig)


def test_free_text_is_escaped_in_headline_tables_titles_and_figures():
    page = Page(f"Report {EVIL}", EVIL)
    page.add_headline(f"Comment: {EVIL}")
    sec = page.section(EVIL, EVIL)
    chart = _chart(title=f"Title {EVIL}", name=EVIL)
    chart.table = Table([("Comment", "text"), ("Count", "int")], [(EVIL, 3)])
    sec.blocks.append(chart)
    html = page.render()
    # Only our own script elements: plotly.js, one JSON payload per figure, the drawing script.
    assert html.count("<script") == 3
    assert "<img" not in html and "</script><script>window" not in html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    payload = html.split("class='figure-data'")[1].split("</script>")[0]
    assert "<" not in payload.split(">", 1)[1]  # the JSON itself holds no raw '<'


def test_emails_and_phone_numbers_are_masked_in_text_cells():
    text = "Mail anna.smith+bikes@example.co.uk or call +44 20 7946 0958 after 5."
    assert redact(text) == "Mail [email] or call [phone] after 5."
    html = Table([("Comment", "text")], [(text,)]).render()
    assert "example.co.uk" not in html and "7946" not in html and "[email]" in html


@pytest.mark.parametrize("change, message", [
    ({"title": " "}, "needs a title"),
    ({"how": ""}, "how to read this"),
    ({"x": ""}, "xaxis has no label"),
    ({"y": ""}, "yaxis has no label"),
])
def test_a_chart_without_title_reading_note_or_axis_label_is_refused(change, message):
    args = {"title": "Orders", "x": "Week", "y": "Orders (count)", "how": "Read it."} | change
    page = Page("Report")
    page.section("One").blocks.append(_chart(**args))
    with pytest.raises(ChartError, match=message):
        page.render()


def test_palette_is_okabe_ito_and_sticky_note_text_keeps_contrast():
    assert OKABE_ITO[:3] == ["#0072B2", "#E69F00", "#009E73"]
    for colour in OKABE_ITO:
        # WCAG AA for large text is 3:1; black or white on each palette colour clears it.
        assert contrast_ratio(colour, text_colour_on(colour)) >= 3.0
    assert text_colour_on("#F0E442") == "#000000" and text_colour_on("#000000") == "#FFFFFF"


def test_week_folder_latest_index_and_one_plotly_js(tmp_path):
    site = ReportSite(tmp_path)
    site.write("funnel", "Weekly drop-off", "what changed", "2026-10-19", "<html>old</html>")
    first_js = (tmp_path / PLOTLY_JS).stat().st_mtime_ns
    site.write("funnel", "Weekly drop-off", "what changed", "2026-10-26", "<html>new</html>")
    site.write("map", "Living journey map", "the wall chart", "2026-10-26", "<html>map</html>")
    index = site.write_index().read_text()

    assert (tmp_path / "2026-10-19" / "funnel.html").read_text() == "<html>old</html>"
    assert (tmp_path / "latest" / "funnel.html").read_text() == "<html>new</html>"
    assert (tmp_path / PLOTLY_JS).read_bytes() == plotly_js_source().read_bytes()
    assert (tmp_path / PLOTLY_JS).stat().st_mtime_ns == first_js  # written once, not per page
    assert site.weeks() == ["2026-10-26", "2026-10-19"]
    for href in ("latest/funnel.html", "latest/map.html", "2026-10-26/funnel.html",
                 "2026-10-26/map.html", "2026-10-19/funnel.html"):
        assert f"href='{href}'" in index
    assert "2026-10-19/map.html" not in index
    assert index.index("Latest (week of 2026-10-26)") < index.index("Week of 2026-10-19")
    assert not list(tmp_path.rglob(".*.tmp"))
    with pytest.raises(ValueError, match="week must be a date"):
        site.write("x", "X", "", "../../etc", "")


def test_pages_load_plotly_from_the_folder_above(tmp_path):
    html = Page("Report").render()
    assert '<script src="../plotly.min.js">' in html and "cdn" not in html.lower()


def test_report_week_is_the_monday_of_the_as_of_time(monkeypatch, tmp_path):
    assert week_of(datetime(2026, 10, 31, 22, 38)) == "2026-10-26"  # Saturday -> Monday
    assert week_of(datetime(2026, 10, 26, 0, 0)) == "2026-10-26"    # Monday stays
    import duckdb

    conn = duckdb.connect()
    conn.execute("create table events as select timestamp '2026-03-04 10:00' as occurred_at")
    assert as_of_time(conn) == datetime(2026, 3, 4, 10, 0)
    monkeypatch.setenv("JOURNEYS_AS_OF", "2026-02-01T00:00:00Z")
    assert as_of_time(conn) == datetime(2026, 2, 1)


@pytest.mark.parametrize("module", ["attribution", "dropoff", "ideal", "journey_map", "say_do"])
def test_a_report_before_its_layer_has_run_names_the_missing_tables(module, tmp_path):
    import importlib

    from dashboards.context import ReportContext
    from pipeline.resources import connect

    builder = importlib.import_module(f"dashboards.{module}")
    with connect(tmp_path / "empty.duckdb") as conn:
        conn.execute("create table journey_maps (map_id varchar)")  # one table exists
        page = builder.build(ReportContext(conn, None, "2026-10-26"))
    [notice] = [b for s in page.sections for b in s.blocks]
    # Every table the report reads is listed, in its own order, except the one that exists.
    expected = [t for t in builder.TABLES if t != "journey_maps"]
    assert notice.text.startswith("The ")
    assert f"tables are not built yet ({', '.join(expected)})." in notice.text
    assert not page.charts
