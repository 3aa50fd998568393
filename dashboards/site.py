"""The reports folder: one dated folder per week, `latest/`, an index page, and plotly.js once.

    reports/
      index.html            links every week's reports, newest first
      plotly.min.js         copied from the installed plotly package (no CDN)
      latest/<report>.html  the newest run's reports
      2026-10-26/<report>.html, manifest.json

Pages sit one folder below the root and load `../plotly.min.js`, so the whole folder can be
zipped, mailed or opened from the file system. Every file is written to a temporary name and
renamed, so a half-written report is never linked.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from dashboards.page import esc

PLOTLY_JS = "plotly.min.js"
LATEST = "latest"
MANIFEST = "manifest.json"
_WEEK_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _write_atomic(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    if isinstance(data, str):
        tmp.write_text(data, encoding="utf-8")
    else:
        tmp.write_bytes(data)
    os.replace(tmp, path)


def plotly_js_source() -> Path:
    """The plotly.min.js bundled with the installed plotly package."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / PLOTLY_JS
    if not path.is_file():
        raise FileNotFoundError(f"plotly.js not found in the plotly package at {path}")
    return path


@dataclass(frozen=True)
class WrittenReport:
    name: str
    title: str
    week: str
    dated_path: Path
    latest_path: Path


class ReportSite:
    def __init__(self, root: Path):
        self.root = Path(root)

    def ensure_plotly_js(self) -> Path:
        """Copy plotly.js beside the reports unless the same file is already there."""
        source = plotly_js_source()
        target = self.root / PLOTLY_JS
        if not target.is_file() or target.stat().st_size != source.stat().st_size:
            _write_atomic(target, source.read_bytes())
        return target

    def write(self, name: str, title: str, summary: str, week: str, html: str) -> WrittenReport:
        """Write one report into the week's folder and into latest/, and record it in both
        folders' manifests (title and one-line summary, for the index)."""
        if not _WEEK_DIR.match(week):
            raise ValueError(f"week must be a date like 2026-10-26, got {week!r}")
        self.ensure_plotly_js()
        paths = []
        for folder in (week, LATEST):
            path = self.root / folder / f"{name}.html"
            _write_atomic(path, html)
            self._record(self.root / folder, name, title, summary, week)
            paths.append(path)
        return WrittenReport(name, title, week, paths[0], paths[1])

    def _record(self, folder: Path, name: str, title: str, summary: str, week: str) -> None:
        manifest = self.manifest(folder)
        manifest[name] = {"title": title, "summary": summary, "week": week}
        _write_atomic(folder / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))

    @staticmethod
    def manifest(folder: Path) -> dict:
        path = folder / MANIFEST
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}

    def weeks(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted((p.name for p in self.root.iterdir()
                       if p.is_dir() and _WEEK_DIR.match(p.name)), reverse=True)

    def write_index(self) -> Path:
        """The front page: latest reports first, then every dated week, newest first."""
        self.ensure_plotly_js()
        blocks = []
        latest = self.manifest(self.root / LATEST)
        if latest:
            week = next(iter(latest.values()))["week"]
            blocks.append(_index_block(f"Latest (week of {week})", LATEST, latest))
        for week in self.weeks():
            blocks.append(_index_block(f"Week of {week}", week, self.manifest(self.root / week)))
        if not blocks:
            blocks.append("<p class='notice'>No reports yet: run the pipeline first.</p>")
        path = self.root / "index.html"
        _write_atomic(path, _INDEX.format(body="\n".join(blocks)))
        return path


def _index_block(heading: str, folder: str, manifest: dict) -> str:
    items = "".join(
        f"<li><a href='{esc(folder)}/{esc(name)}.html'>{esc(entry['title'])}</a>"
        f"<span> {esc(entry.get('summary', ''))}</span></li>"
        for name, entry in sorted(manifest.items(), key=lambda kv: kv[1]["title"]))
    return f"<section><h2>{esc(heading)}</h2><ul>{items}</ul></section>"


_INDEX = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Journeys reports</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       margin: 0; line-height: 1.5; }}
header {{ padding: 1.2rem 2rem; background: #f6f6f3; border-bottom: 1px solid #ddd; }}
h1 {{ margin: 0; }}
main {{ padding: 0 2rem 2rem; max-width: 1100px; }}
h2 {{ font-size: 1.2rem; border-bottom: 2px solid #ddd; margin-top: 1.6rem; }}
a {{ color: #0072B2; font-weight: 600; }}
li span {{ color: #555; }}
</style>
</head>
<body>
<header><h1>Journeys reports</h1>
<p>Real customer journeys measured against the journey map the workshop drew.</p></header>
<main>
{body}
</main>
</body>
</html>
"""
