"""Every report of the sample company, opened in headless Chromium: no console error, every
figure drawn with data points, axis titles present. Screenshots go to tests/screenshots/."""

from pathlib import Path

import plotly.graph_objects as go
import pytest

from assets.reports import REPORT_MODULES
from browser import launch_or_skip, open_report
from dashboards.context import ReportContext
from dashboards.page import Chart, Page, Table
from dashboards.site import ReportSite
from pipeline.resources import connect
from reports_helpers import build_reports

REPORT_NAMES = [m.NAME for m in REPORT_MODULES]


@pytest.fixture(scope="module")
def built(sample_company, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample_reports")
    metadata = build_reports(sample_company.database, folder)
    return folder, metadata


@pytest.fixture(scope="module")
def browser():
    manager, browser = launch_or_skip()
    yield browser
    browser.close()
    manager.stop()


def test_each_report_asset_records_its_file_paths(built):
    folder, metadata = built
    for name in REPORT_NAMES:
        meta = metadata[f"report_{name}"]
        latest, dated = Path(meta["path"].path), Path(meta["dated_path"].path)
        assert latest == folder / "latest" / f"{name}.html" and latest.is_file()
        assert dated == folder / meta["week"].value / f"{name}.html" and dated.is_file()
        assert latest.read_bytes() == dated.read_bytes()
    assert Path(metadata["reports_index"]["path"].path) == folder / "index.html"
    # The sample company's data ends on Saturday 2026-10-31: its report week is that Monday.
    assert metadata[f"report_{REPORT_NAMES[0]}"]["week"].value == "2026-10-26"


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_report_renders_every_figure_with_data_and_no_console_error(built, browser, name,
                                                                    sample_company):
    folder, _ = built
    module = {m.NAME: m for m in REPORT_MODULES}[name]
    with connect(sample_company.database, read_only=True) as conn:
        absent = ReportContext(conn, None, "").missing(*module.TABLES)
    if absent:
        pytest.skip(f"{name}: its input tables are not on this branch yet: {absent}")
    rendered = open_report(browser, folder / "latest" / f"{name}.html", screenshot=name)
    assert rendered.errors == []
    assert rendered.figures, f"{name} has no figure"
    for fig in rendered.figures:
        assert fig["drawn"], fig
        assert fig["title"], fig
        assert fig["points"] > 0 and fig["marks"] > 0, fig
        assert fig["xtitle"] != "" and fig["ytitle"] != "", fig  # None = hidden axis (map)


def test_index_links_every_report_of_every_week(built, browser):
    folder, _ = built
    page = browser.new_page()
    page.goto((folder / "index.html").as_uri())
    hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.getAttribute('href'))")
    page.close()
    weeks = ReportSite(folder).weeks()
    expected = {f"{w}/{n}.html" for w in ["latest", *weeks] for n in REPORT_NAMES}
    assert set(hrefs) == expected
    assert all((folder / h).is_file() for h in hrefs)


def test_a_script_in_a_comment_shows_as_text_and_runs_nothing(browser, tmp_path):
    evil = "<script>window.__pwned = 1</script><img src=x onerror='window.__pwned = 2'>"
    page = Page("Comments", evil)
    page.add_headline(f"A customer wrote: {evil}")
    fig = go.Figure(go.Bar(x=[evil, "fine"], y=[1, 2], name=evil))
    fig.update_xaxes(title_text="Comment")
    fig.update_yaxes(title_text="Responses (count)")
    page.section("Voice of the customer").blocks.append(Chart(
        evil, "One bar per comment.", fig, Table([("Comment", "text")], [(evil,)])))
    site = ReportSite(tmp_path)
    written = site.write("comments", "Comments", "", "2026-10-26", page.render())

    tab = browser.new_page()
    errors = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(written.latest_path.as_uri())
    tab.wait_for_function("document.querySelector('.plot').classList.contains('js-plotly-plot')")
    assert tab.evaluate("window.__pwned") is None
    assert tab.locator("img").count() == 0
    assert "<script>window.__pwned = 1</script>" in tab.inner_text("td")
    assert "<script>window.__pwned = 1</script>" in tab.inner_text(".headline")
    tab.close()
    assert errors == []
