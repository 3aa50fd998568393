"""The page every report is built from: a title, a plain-words summary, and sections of charts
each with its title, axis labels, a one-line "how to read this" and the exact numbers beside it.

Everything that came from data or from a user-edited file is escaped here, once, so a survey
comment reading `<script>…` shows as text and runs nothing. Figures travel as JSON inside
`<script type="application/json">` with `<`, `>` and `&` escaped, and are drawn by the
plotly.js file written once beside the reports (no CDN: the pages open from the file system).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go

from dashboards.palette import OKABE_ITO

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d ()./-]{7,}\d(?!\w)")


def redact(text: str) -> str:
    """Mask e-mail addresses and phone numbers in free text (comments, ticket messages)."""
    return _PHONE.sub("[phone]", _EMAIL.sub("[email]", text))


def esc(value) -> str:
    """HTML-escape any value for text or attribute context; None shows as an en dash."""
    if _missing(value):
        return "–"
    return html.escape(str(value), quote=True)


def plot_text(value) -> str:
    """Text for inside a figure (labels, hover). plotly.js reads a subset of HTML in strings and
    turns entities back into characters, so escaping keeps markup from data inert there too."""
    return html.escape(str(value), quote=False) if value is not None else "–"


# ---- number formatting for tables (exact numbers, stated units) -------------------------------

def fmt_int(v) -> str:
    return "–" if _missing(v) else f"{int(v):,}"


def fmt_pct(v, digits: int = 1) -> str:
    return "–" if _missing(v) else f"{100 * float(v):.{digits}f} %"


def fmt_points(v) -> str:
    """A change between two rates, in percentage points."""
    return "–" if _missing(v) else f"{100 * float(v):+.1f} pts"


def fmt_float(v, digits: int = 2) -> str:
    return "–" if _missing(v) else f"{float(v):,.{digits}f}"


def fmt_duration(seconds) -> str:
    """Seconds as the largest sensible unit: 45 s, 12.5 min, 3.2 h, 4.1 d."""
    if _missing(seconds):
        return "–"
    s = float(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if abs(s) >= size:
            return f"{s / size:.1f} {unit}"
    return f"{s:.0f} s"


def fmt_text(v) -> str:
    return "–" if _missing(v) else str(v)


def _missing(v) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):  # lists and arrays are values, not missing
        return False


FORMATS = {"int": fmt_int, "pct": fmt_pct, "float": fmt_float, "duration": fmt_duration,
           "points": fmt_points,
           "text": fmt_text, "date": lambda v: "–" if _missing(v) else str(v)[:10]}


@dataclass
class Table:
    """Exact numbers beside a chart. `columns` = [(header with unit, format name)], rows are
    tuples in the same order. Free text cells are redacted and escaped on render."""

    columns: list[tuple[str, str]]
    rows: list[tuple]
    caption: str = ""
    max_rows: int = 200

    @classmethod
    def from_frame(cls, frame, columns: dict[str, tuple[str, str]], caption: str = "",
                   max_rows: int = 200) -> "Table":
        """columns: {frame column: (header with unit, format)}, in display order."""
        rows = list(frame[list(columns)].itertuples(index=False, name=None)) if len(frame) else []
        return cls(list(columns.values()), rows, caption, max_rows)

    def render(self) -> str:
        head = "".join(f"<th scope='col'>{esc(h)}</th>" for h, _ in self.columns)
        numeric = [fmt in ("int", "pct", "float", "duration", "points") for _, fmt in self.columns]
        body = []
        for row in self.rows[: self.max_rows]:
            cells = []
            for value, (_, fmt), is_num in zip(row, self.columns, numeric):
                text = FORMATS[fmt](value)
                if fmt == "text":
                    text = redact(text)
                cells.append(f"<td class='{'num' if is_num else 'txt'}'>{esc(text)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        more = ""
        if len(self.rows) > self.max_rows:
            more = (f"<p class='note'>Showing the first {self.max_rows:,} of "
                    f"{len(self.rows):,} rows.</p>")
        if not body:
            body = [f"<tr><td colspan='{len(self.columns)}' class='empty'>No rows.</td></tr>"]
        caption = f"<caption>{esc(self.caption)}</caption>" if self.caption else ""
        return (f"<div class='table-wrap'><table>{caption}<thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table>{more}</div>")


class ChartError(ValueError):
    """A chart is missing something every chart must have (title, axis labels, reading note)."""


@dataclass
class Chart:
    """One figure with its title, one-line reading note and the exact numbers next to it.

    A figure without cartesian axes (the journey-map drawing) passes `axes=False`; every other
    figure must label each visible axis, with its unit in the label.
    """

    title: str
    how_to_read: str
    figure: go.Figure
    table: Table | None = None
    axes: bool = True
    height: int = 420
    wide: bool = False   # full width with the table below (wall-chart maps)
    width: int | None = None  # fixed pixel width; the page scrolls sideways if narrower

    def check(self) -> None:
        if not self.title.strip():
            raise ChartError("a chart needs a title")
        if not self.how_to_read.strip():
            raise ChartError(f"chart {self.title!r} needs a one-line 'how to read this'")
        if self.axes:
            layout = self.figure.layout
            for name in ("xaxis", "yaxis"):
                axis = layout[name]
                if axis.visible is False:
                    continue
                if not (axis.title and axis.title.text and axis.title.text.strip()):
                    raise ChartError(f"chart {self.title!r}: {name} has no label with its unit")
        if not self.figure.data:
            raise ChartError(f"chart {self.title!r} has no data: use Page.notice for empty data")


@dataclass
class Section:
    heading: str
    intro: str = ""
    blocks: list = field(default_factory=list)


def style_figure(fig: go.Figure, title: str, height: int) -> go.Figure:
    """The shared look: Okabe-Ito colourway, readable fonts, the title inside the figure (so a
    downloaded PNG keeps it), horizontal legend below the title."""
    fig.update_layout(
        title={"text": plot_text(title), "x": 0, "xanchor": "left", "font": {"size": 16},
               "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
        colorway=OKABE_ITO,
        template="plotly_white",
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13,
              "color": "#222"},
        height=height,
        margin={"l": 70, "r": 20, "t": 100, "b": 60},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left"},
        hoverlabel={"font": {"size": 13}},
    )
    return fig


class Page:
    """A whole report page. Add sections, then `render()` to one HTML string."""

    def __init__(self, title: str, subtitle: str = "", *, as_of: datetime | date | None = None,
                 week: str | None = None, plotly_src: str = "../plotly.min.js",
                 index_href: str = "../index.html"):
        self.title = title
        self.subtitle = subtitle
        self.as_of = as_of
        self.week = week
        self.plotly_src = plotly_src
        self.index_href = index_href
        self.headline: list[str] = []
        self.sections: list[Section] = []
        self._n_figures = 0

    def add_headline(self, sentence: str) -> None:
        self.headline.append(sentence)

    def section(self, heading: str, intro: str = "") -> Section:
        sec = Section(heading, intro)
        self.sections.append(sec)
        return sec

    def notice_missing(self, heading: str, layer: str, missing: list[str],
                       hint: str = "") -> bool:
        """Say which of a layer's tables are not built yet; True when any is missing, so the
        builder stops there instead of querying absent tables."""
        if missing:
            text = f"The {layer} tables are not built yet ({', '.join(missing)})."
            self.section(heading).blocks.append(Notice(f"{text} {hint}".strip()))
        return bool(missing)

    @property
    def charts(self) -> list[Chart]:
        flat = [c for s in self.sections for b in s.blocks
                for c in (b.charts if isinstance(b, SideBySide) else [b])]
        return [b for b in flat if isinstance(b, Chart)]

    def render(self) -> str:
        for chart in self.charts:
            chart.check()
        body = []
        if self.headline:
            items = "".join(f"<li>{esc(s)}</li>" for s in self.headline)
            body.append(f"<section class='headline' aria-label='This week in plain words'>"
                        f"<h2>In plain words</h2><ul>{items}</ul></section>")
        for sec in self.sections:
            parts = [f"<h2>{esc(sec.heading)}</h2>"]
            if sec.intro:
                parts.append(f"<p class='intro'>{esc(sec.intro)}</p>")
            for block in sec.blocks:
                parts.append(self._render_block(block))
            body.append("<section>" + "".join(parts) + "</section>")
        meta = []
        if self.week:
            meta.append(f"Week of {esc(self.week)}")
        if self.as_of:
            meta.append(f"data as of {esc(str(self.as_of)[:16])} UTC")
        return _TEMPLATE.format(
            title=esc(self.title), subtitle=esc(self.subtitle), meta=" · ".join(meta),
            index_href=esc(self.index_href), plotly_src=esc(self.plotly_src),
            body="\n".join(body), css=_CSS, script=_SCRIPT)

    def _render_block(self, block) -> str:
        if isinstance(block, Chart):
            return self._render_chart(block)
        if isinstance(block, SideBySide):
            columns = "".join(f"<div class='side-column'>{self._render_chart(c)}</div>"
                              for c in block.charts)
            return f"<div class='side-by-side'>{columns}</div>"
        if isinstance(block, Table):
            return f"<div class='table-only'>{block.render()}</div>"
        if isinstance(block, Notice):
            return f"<p class='notice' role='note'>{esc(block.text)}</p>"
        if isinstance(block, Paragraph):
            return f"<p>{esc(block.text)}</p>"
        if isinstance(block, Html):
            return block.markup
        raise TypeError(f"unknown block {type(block).__name__}")

    def _render_chart(self, chart: Chart) -> str:
        self._n_figures += 1
        div_id = f"figure-{self._n_figures}"
        fig = style_figure(go.Figure(chart.figure), chart.title, chart.height)
        if chart.width:
            fig.update_layout(width=chart.width)
        payload = _json_for_script(fig.to_plotly_json())
        table = chart.table.render() if chart.table else ""
        label = esc(f"{chart.title}. How to read this: {chart.how_to_read}")
        return (
            f"<figure class='chart{' wide' if chart.wide else ''}'>"
            f"<div class='chart-main'><p class='how'><strong>How to read this:</strong> "
            f"{esc(chart.how_to_read)}</p>"
            f"<div id='{div_id}' class='plot' role='img' aria-label='{label}' "
            f"style='height:{int(chart.height)}px'></div>"
            f"<script type='application/json' class='figure-data' data-target='{div_id}'>"
            f"{payload}</script></div>"
            f"<div class='chart-table'>{table}</div></figure>")


@dataclass
class SideBySide:
    """Charts drawn next to each other, for a comparison read across (ideal vs as-is). Each
    column scrolls sideways on its own when the screen is narrower than its figure."""

    charts: list[Chart]


@dataclass
class Notice:
    """A plain sentence saying why something is absent (no data yet, table not built)."""

    text: str


@dataclass
class Paragraph:
    text: str


@dataclass
class Html:
    """Markup built by this package's own helpers (already escaped). Never data."""

    markup: str


def _json_for_script(obj) -> str:
    """JSON that cannot close its <script> element or open a new one."""
    text = json.dumps(obj, default=_json_default, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _json_default(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


_CSS = """
:root { --ink:#222; --muted:#555; --rule:#ddd; --accent:#0072B2; --bg:#fff; --soft:#f6f6f3; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: var(--bg); margin: 0; line-height: 1.45; }
header { padding: 1.2rem 2rem .8rem; border-bottom: 1px solid var(--rule); background: var(--soft); }
header h1 { margin: 0 0 .2rem; font-size: 1.6rem; }
header p { margin: .1rem 0; color: var(--muted); }
nav a { color: var(--accent); }
main { padding: 0 2rem 3rem; max-width: 1500px; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--rule); }
.headline { background: #fff8e6; border-left: 6px solid #E69F00; padding: .4rem 1rem; margin-top: 1rem; }
.headline h2 { border: 0; margin: .4rem 0; }
.headline li { font-size: 1.08rem; margin: .25rem 0; }
.intro, .note { color: var(--muted); }
.notice { background: #eef6fb; border-left: 6px solid #56B4E9; padding: .6rem 1rem; }
figure.chart { display: grid; grid-template-columns: minmax(0, 3fr) minmax(260px, 2fr); gap: 1.2rem;
               margin: 1rem 0 2rem; align-items: start; }
@media (max-width: 1000px) { figure.chart { grid-template-columns: 1fr; } }
figure.chart.wide { grid-template-columns: 1fr; }
.side-by-side { display: grid; grid-template-columns: repeat(auto-fit, minmax(0, 1fr)); gap: 1.2rem; }
.side-column { min-width: 0; overflow-x: auto; }
.chart-main { overflow-x: auto; }
.how { margin: .2rem 0 .4rem; color: var(--muted); font-size: .95rem; }
.table-wrap { max-height: 520px; overflow: auto; border: 1px solid var(--rule); }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
caption { text-align: left; font-weight: 600; padding: .3rem .5rem; }
th { position: sticky; top: 0; background: #eee; text-align: left; padding: .3rem .5rem; }
td { padding: .25rem .5rem; border-top: 1px solid #eee; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.empty { color: var(--muted); font-style: italic; }
.table-only { margin: 1rem 0 2rem; max-width: 1100px; }
footer { color: var(--muted); font-size: .85rem; padding: 1rem 2rem; border-top: 1px solid var(--rule); }
"""

_SCRIPT = """
(function () {
  var missing = typeof Plotly === "undefined";
  document.querySelectorAll("script.figure-data").forEach(function (node) {
    var target = document.getElementById(node.dataset.target);
    if (missing) { target.textContent = "plotly.min.js was not found beside this report."; return; }
    var fig = JSON.parse(node.textContent);
    Plotly.newPlot(target, fig.data, fig.layout,
                   {responsive: true, displaylogo: false, scrollZoom: false});
  });
})();
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
<script src="{plotly_src}"></script>
</head>
<body>
<header>
<nav><a href="{index_href}">All reports</a></nav>
<h1>{title}</h1>
<p>{subtitle}</p>
<p>{meta}</p>
</header>
<main>
{body}
</main>
<footer>Generated by Journeys. Colours follow the Okabe-Ito palette; every chart has its numbers
in the table beside it. No e-mail addresses or names are shown.</footer>
<script>{script}</script>
</body>
</html>
"""
