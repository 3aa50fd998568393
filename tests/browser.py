"""Open report pages in Debian's headless Chromium through Playwright (no browser download).

`open_report` loads a file:// page, records console errors, page errors and failed requests,
waits for every Plotly figure to draw, and returns what each figure rendered.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).parent / "screenshots"


def chromium_path() -> str | None:
    for candidate in (os.environ.get("JOURNEYS_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def launch_or_skip():
    """A (playwright, browser) pair, or a clear skip when Chromium or Playwright is missing."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("browser tests skipped: Chromium is not installed "
                    "(Debian: apt-get install chromium; .ci/run installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests skipped: the playwright package is missing "
                    "(pip install -e '.[dev]')")
    manager = sync_playwright().start()
    browser = manager.chromium.launch(executable_path=executable,
                                      args=["--no-sandbox", "--allow-file-access-from-files"])
    return manager, browser


@dataclass
class Rendered:
    errors: list[str] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    title: str = ""


# Per figure: its title, how many data points plotly computed, and how many marks it drew.
_FIGURES_JS = """
() => Array.from(document.querySelectorAll('.plot')).map(gd => ({
  id: gd.id,
  drawn: gd.classList.contains('js-plotly-plot'),
  title: (gd.layout && gd.layout.title && gd.layout.title.text) || '',
  xtitle: (gd._fullLayout && gd._fullLayout.xaxis && gd._fullLayout.xaxis.visible !== false)
          ? ((gd._fullLayout.xaxis.title || {}).text || '') : null,
  ytitle: (gd._fullLayout && gd._fullLayout.yaxis && gd._fullLayout.yaxis.visible !== false)
          ? ((gd._fullLayout.yaxis.title || {}).text || '') : null,
  points: (gd.calcdata || []).reduce((n, trace) => n + trace.filter(
            p => p && (p.y !== undefined || p.x !== undefined || p.z !== undefined ||
                       p.s !== undefined || p.v !== undefined)).length, 0),
  marks: gd.querySelectorAll('.point, .js-line, .hm image, .heatmaplayer image, .shapelayer path')
           .length,
}))
"""


def open_report(browser, path: Path, screenshot: str | None = None) -> Rendered:
    result = Rendered()
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("console", lambda m: result.errors.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: result.errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: result.errors.append(f"request failed: {r.url}"))
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.plot'))"
        ".every(gd => gd.classList.contains('js-plotly-plot') && gd._fullLayout)",
        timeout=20_000)
    result.figures = page.evaluate(_FIGURES_JS)
    result.title = page.title()
    if screenshot:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{screenshot}.png"), full_page=True)
    page.close()
    return result
