"""Small figure builders the reports share. Each returns a plain plotly Figure with its axes
labelled (units in the label); titles, colours and fonts are applied by `Page`."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboards.page import plot_text
from dashboards.palette import OKABE_ITO, series_colours


def labelled(fig: go.Figure, x: str, y: str, *, y_percent: bool = False,
             x_percent: bool = False) -> go.Figure:
    fig.update_xaxes(title_text=x, automargin=True)
    fig.update_yaxes(title_text=y, automargin=True)
    if y_percent:
        fig.update_yaxes(tickformat=".0%")
    if x_percent:
        fig.update_xaxes(tickformat=".0%")
    return fig


def lines_by(frame, x: str, y: str, series: str, *, x_title: str, y_title: str,
             y_percent: bool = False, hover_format: str = ",") -> go.Figure:
    """One line per value of `series` (sorted, Okabe-Ito in order), markers on every point."""
    fig = go.Figure()
    colours = series_colours(frame[series].astype(str))
    symbols = ["circle", "square", "diamond", "triangle-up", "x", "cross", "star", "hexagon"]
    for i, (name, part) in enumerate(sorted(frame.groupby(series, sort=True),
                                            key=lambda kv: str(kv[0]))):
        fig.add_trace(go.Scatter(
            x=list(part[x]), y=list(part[y]), name=plot_text(name), mode="lines+markers",
            line={"color": colours[str(name)], "width": 2},
            marker={"symbol": symbols[i % len(symbols)], "size": 7},
            hovertemplate=f"%{{x}}<br>{plot_text(name)}: %{{y:{'.1%' if y_percent else hover_format}}}"
                          "<extra></extra>"))
    return labelled(fig, x_title, y_title, y_percent=y_percent)


def hbar(labels, values, *, x_title: str, y_title: str, colours=None, text=None,
         x_percent: bool = False, hover: list[str] | None = None) -> go.Figure:
    """Horizontal bars, first label on top."""
    labels = [plot_text(v) for v in labels]
    fig = go.Figure(go.Bar(
        y=labels, x=list(values), orientation="h",
        marker={"color": colours or OKABE_ITO[0]},
        text=text, textposition="auto" if text is not None else None,
        hovertext=hover, hoverinfo="text" if hover else None))
    fig.update_yaxes(autorange="reversed")
    return labelled(fig, x_title, y_title, x_percent=x_percent)
