"""The journey map drawn the way a workshop pins it on the wall: stages as columns, one lane per
department, touchpoints as sticky notes in the department's colour, each note keeping the
workshop's short wording and adding its measured numbers underneath.

Used by the living journey map and by the as-is vs ideal report (two maps side by side, with
edges for volume and median time and highlighted missing or unexpected edges).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

import plotly.graph_objects as go

from dashboards.page import plot_text
from dashboards.palette import BAD, GREY, OKABE_ITO, text_colour_on

# Departments the sample maps use get fixed colours so every report agrees; others follow.
DEPARTMENT_ORDER = ["marketing", "sales", "operations", "support"]
_DEPARTMENT_COLOURS = {"marketing": "#E69F00", "sales": "#56B4E9", "operations": "#009E73",
                       "support": "#CC79A7"}
_SPARE = ["#F0E442", "#0072B2", "#D55E00", "#999999"]

SLOTS_PER_STAGE = 2      # notes side by side in one stage column
NOTE_W, NOTE_H = 0.92, 0.84
LABEL_CHARS = 17         # sticky-note wording wraps at this width


def department_colours(departments) -> dict[str, str]:
    """Fixed colours for the usual departments, then spare Okabe-Ito colours in name order."""
    departments = set(departments)
    colours = dict(_DEPARTMENT_COLOURS)
    extra = sorted(d for d in departments if d not in colours)
    for i, dept in enumerate(extra):
        colours[dept] = _SPARE[i % len(_SPARE)] if i < len(_SPARE) else OKABE_ITO[i % 8]
    return {d: colours[d] for d in departments}


def lane_order(departments) -> list[str]:
    present = set(departments)
    return [d for d in DEPARTMENT_ORDER if d in present] + sorted(present - set(DEPARTMENT_ORDER))


@dataclass
class Note:
    id: str
    label: str
    stage: str
    department: str
    numbers: list[str] = field(default_factory=list)   # short measured lines under the label
    hover: str = ""
    badge: str = ""          # e.g. "★ M2" for a milestone
    muted: bool = False      # no data (unmeasured): grey, dashed outline
    outline: str | None = None  # highlight colour (e.g. a required touchpoint that is missing)


@dataclass
class Edge:
    source: str
    target: str
    label: str = ""
    width: float = 2.0
    colour: str = GREY
    dash: bool = False


@dataclass
class _Placed:
    note: Note
    x: float
    y: float


def layout_notes(stages: list[str], notes: list[Note]) -> tuple[dict[str, _Placed], dict]:
    """Place notes: column = stage (two slots wide), lane = department, row-major within a cell.
    Returns placements by note id and the lane geometry {department: (top, height)}."""
    lanes = lane_order(n.department for n in notes)
    stage_col = {s: i for i, s in enumerate(stages)}
    cells: dict[tuple[str, str], list[Note]] = {}
    for note in notes:
        cells.setdefault((note.department, note.stage), []).append(note)
    placed, geometry, top = {}, {}, 0.0
    for lane in lanes:
        rows = max(math.ceil(len(cells.get((lane, s), [])) / SLOTS_PER_STAGE) for s in stages)
        rows = max(rows, 1)
        for stage in stages:
            for i, note in enumerate(cells.get((lane, stage), [])):
                col = stage_col[stage] * SLOTS_PER_STAGE + i % SLOTS_PER_STAGE
                row = i // SLOTS_PER_STAGE
                placed[note.id] = _Placed(note, col + 0.5, -(top + row + 0.5))
        geometry[lane] = (top, rows)
        top += rows + 0.25
    return placed, geometry


def draw(stages: list[str], notes: list[Note], edges: list[Edge] | None = None,
         *, legend: bool = True) -> tuple[go.Figure, int]:
    """The wall chart as a figure, and the pixel height it needs to stay readable."""
    unknown = sorted({n.stage for n in notes} - set(stages))
    if unknown:
        raise ValueError(f"notes in stages the map does not have: {unknown}")
    placed, geometry = layout_notes(stages, notes)
    colours = department_colours(n.department for n in notes)
    width = len(stages) * SLOTS_PER_STAGE
    height_units = sum(rows for _, rows in geometry.values()) + 0.25 * (len(geometry) - 1)
    fig = go.Figure()
    shapes, annotations = [], []

    for i, stage in enumerate(stages):  # stage columns with headers
        x0 = i * SLOTS_PER_STAGE
        if i % 2 == 0:
            shapes.append(dict(type="rect", x0=x0, x1=x0 + SLOTS_PER_STAGE, y0=0.1,
                               y1=-height_units - 0.1, fillcolor="#f4f4f0",
                               line={"width": 0}, layer="below"))
        annotations.append(dict(x=x0 + SLOTS_PER_STAGE / 2, y=0.45, text=f"<b>{plot_text(stage)}</b>",
                                showarrow=False, font={"size": 15}, yanchor="bottom"))
    for lane, (top, rows) in geometry.items():  # department lanes
        annotations.append(dict(x=-0.08, y=-(top + rows / 2), text=f"<b>{plot_text(lane)}</b>",
                                showarrow=False, xanchor="right", font={"size": 13},
                                textangle=0))
        shapes.append(dict(type="line", x0=-0.05, x1=width, y0=-top + 0.05, y1=-top + 0.05,
                           line={"color": "#cccccc", "width": 1}))

    for p in placed.values():  # sticky notes
        note = p.note
        fill = "#eeeeee" if note.muted else colours[note.department]
        ink = "#444444" if note.muted else text_colour_on(fill)
        line = {"color": note.outline or ("#888888" if note.muted else "rgba(0,0,0,0.25)"),
                "width": 3 if note.outline else 1, "dash": "dash" if note.muted else "solid"}
        shapes.append(dict(type="rect", x0=p.x - NOTE_W / 2, x1=p.x + NOTE_W / 2,
                           y0=p.y - NOTE_H / 2, y1=p.y + NOTE_H / 2, fillcolor=fill, line=line))
        wrapped = textwrap.wrap(note.label, LABEL_CHARS)
        if len(wrapped) > 3:  # sticky-note verbiage: three lines, the rest is in the hover
            wrapped = wrapped[:2] + [textwrap.shorten(" ".join(wrapped[2:]), LABEL_CHARS,
                                                      placeholder=" …")]
        text = "<br>".join(plot_text(w) for w in wrapped)
        if note.numbers:
            text += "<br><b>" + "<br>".join(plot_text(n) for n in note.numbers) + "</b>"
        annotations.append(dict(x=p.x, y=p.y, text=text, showarrow=False,
                                font={"size": 10, "color": ink}, align="center"))
        if note.badge:
            annotations.append(dict(x=p.x + NOTE_W / 2, y=p.y + NOTE_H / 2, text=plot_text(note.badge),
                                    showarrow=False, xanchor="right", yanchor="top",
                                    font={"size": 10, "color": ink}))

    for edge in edges or []:  # arrows between notes
        a, b = placed.get(edge.source), placed.get(edge.target)
        if a is None or b is None:
            continue
        (x0, y0), (x1, y1) = _anchor(a, b), _anchor(b, a)
        if edge.dash:  # annotation arrows cannot be dashed: a dashed line, then the head only
            shapes.append(dict(type="line", x0=x0, y0=y0, x1=x1, y1=y1,
                               line={"color": edge.colour, "width": 2, "dash": "dash"}))
            x0, y0 = x1 - (x1 - x0) * 0.05, y1 - (y1 - y0) * 0.05
        annotations.append(dict(
            x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y",
            axref="x", ayref="y", showarrow=True, arrowhead=3, arrowsize=1,
            arrowwidth=max(1.0, min(edge.width, 8.0)), arrowcolor=edge.colour, text="",
            opacity=0.85, standoff=4, startstandoff=4))
        if edge.label:
            annotations.append(dict(
                x=(x0 + x1) / 2, y=(y0 + y1) / 2, text=plot_text(edge.label), showarrow=False,
                font={"size": 10, "color": "#000000" if edge.colour != BAD else BAD},
                bgcolor="rgba(255,255,255,0.85)", bordercolor=edge.colour, borderpad=2))

    # Hover targets, one trace per department so the legend names each colour.
    by_dept: dict[str, list[_Placed]] = {}
    for p in placed.values():
        by_dept.setdefault(p.note.department, []).append(p)
    for dept in lane_order(by_dept):
        points = by_dept[dept]
        fig.add_trace(go.Scatter(
            x=[p.x for p in points], y=[p.y for p in points], mode="markers", name=plot_text(dept),
            marker={"size": 40, "symbol": "square", "color": colours[dept], "opacity": 0.01},
            hovertext=[plot_text(p.note.hover or p.note.label) for p in points],
            hoverinfo="text", showlegend=False))
        if legend:  # a legend swatch at full colour, outside the drawing area
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=plot_text(dept),
                                     marker={"size": 14, "symbol": "square",
                                             "color": colours[dept]}, hoverinfo="skip"))
    fig.update_layout(shapes=shapes, annotations=annotations, hovermode="closest",
                      plot_bgcolor="#ffffff", showlegend=legend)
    fig.update_xaxes(visible=False, range=[-1.3, width + 0.05], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-height_units - 0.2, 1.2], fixedrange=True)
    pixel_height = int(160 + 95 * height_units)
    return fig, pixel_height


def pixel_width(n_stages: int) -> int:
    """Wide enough that a 20-character line of sticky-note text fits inside its note."""
    return 180 + 114 * SLOTS_PER_STAGE * n_stages


def _anchor(a: _Placed, b: _Placed) -> tuple[float, float]:
    """Where an arrow between notes a and b leaves a: the side of a that faces b."""
    if abs(b.x - a.x) > 1e-9:
        return a.x + (NOTE_W / 2 if b.x > a.x else -NOTE_W / 2), a.y
    return a.x, a.y + (NOTE_H / 2 if b.y > a.y else -NOTE_H / 2)
