"""Attribution: what each touchpoint and channel contributes to the endpoint under every model,
the Markov removal effects, by persona; which branch after an email or a ticket converts; and
where reaching a benchmark would bring the most extra conversions."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.charts import hbar, labelled
from dashboards.context import ReportContext
from dashboards.dropoff import milestone_name
from dashboards.page import Chart, Notice, Page, Table, fmt_float, plot_text
from dashboards.palette import OKABE_ITO, series_colours

NAME = "attribution"
TITLE = "Attribution and opportunities"
SUMMARY = "What each touchpoint contributes to the endpoint, and where to act first."
TABLES = ["journey_maps", "map_touchpoints", "fct_attribution_credits",
          "fct_attribution_removal_effects"]
# The branch and opportunity sections are optional (shown once their tables exist), but the
# report must still run after them: plus whichever of TABLES are assets (assets/reports.py)
DEPS = ["customers", "fct_branches", "fct_opportunity_steps"]
MODEL_ORDER = ["markov", "first_touch", "last_touch", "linear", "position_based", "time_decay"]
TOP = 12


def build(ctx: ReportContext) -> Page:
    page = Page(TITLE, SUMMARY, as_of=ctx.as_of, week=ctx.week)
    if page.notice_missing("Attribution", "attribution", ctx.missing(*TABLES)):
        return page
    maps = ctx.frame("attribution_maps")
    if not len(maps):
        page.section("Attribution").blocks.append(Notice("No map has attribution results."))
        return page
    map_id = maps.iloc[0]["map_id"]
    _credits(ctx, page, map_id)
    _removal(ctx, page, map_id)
    _persona(ctx, page, map_id)
    if ctx.has("fct_branches"):
        _branches(ctx, page, map_id)
    if ctx.has("fct_opportunity_steps"):
        _opportunities(ctx, page, map_id)
    return page


def _models(frame) -> list[str]:
    present = list(dict.fromkeys(frame["model"]))
    return [m for m in MODEL_ORDER if m in present] + sorted(set(present) - set(MODEL_ORDER))


def _credits(ctx, page, map_id):
    sec = page.section("Credit for the endpoint, by model",
                       "Every model shares out the same conversions; where models agree, the "
                       "credit is robust; the Markov model is the data-driven one.")
    for level, what in (("touchpoint", "touchpoint"), ("channel", "channel")):
        credits = ctx.frame("attribution_credits", map_id=map_id, level=level)
        if not len(credits):
            sec.blocks.append(Notice(f"No credits at the {what} level."))
            continue
        models = _models(credits)
        leader = models[0]
        order = (credits[credits["model"] == leader].sort_values("credit", ascending=False)
                 ["display_label"].head(TOP).tolist())
        shown = credits[credits["display_label"].isin(order)]
        colours = {m: OKABE_ITO[i % 8] for i, m in enumerate(models)}
        fig = go.Figure()
        for model in models:
            part = shown[shown["model"] == model].set_index("display_label").reindex(order)
            fig.add_trace(go.Bar(y=[plot_text(v) for v in order], x=list(part["credit"].fillna(0)),
                                 name=plot_text(model.replace("_", " ")), orientation="h",
                                 marker={"color": colours[model]}))
        fig.update_layout(barmode="group")
        fig.update_yaxes(autorange="reversed")
        wide = (credits.pivot_table(index="display_label", columns="model", values="credit",
                                    aggfunc="sum").reindex(columns=models).fillna(0)
                .sort_values(leader, ascending=False).reset_index())
        n_conv = int(credits["n_conversions"].max())
        sec.blocks.append(Chart(
            f"Conversions credited to each {what} (top {TOP} by the {leader.replace('_', ' ')} "
            f"model)",
            f"Each group of bars is one {what}; each model's credits add up to the "
            f"{n_conv:,} conversions.",
            labelled(fig, "Conversions credited (count)", what.capitalize()),
            Table(
                [(what.capitalize(), "text")] + [(m.replace("_", " "), "float") for m in models],
                list(wide[["display_label", *models]].itertuples(index=False, name=None))),
            height=max(380, 22 * len(order) * max(1, len(models) // 2) + 160)))


def _removal(ctx, page, map_id):
    sec = page.section("Markov removal effect",
                       "How much the chance of converting falls if a touchpoint disappears from "
                       "the journeys.")
    effects = ctx.frame("attribution_removal_effects", map_id=map_id)
    if not len(effects):
        sec.blocks.append(Notice("No Markov model yet."))
        return
    top = effects.head(TOP)
    sec.blocks.append(Chart(
        "Conversion lost if the touchpoint were removed",
        "Longer bars are touchpoints the journeys depend on most.",
        hbar(top["display_label"], top["removal_effect"], x_title="Removal effect (% of "
             "conversion probability)", y_title="Touchpoint", x_percent=True,
             colours=OKABE_ITO[0]),
        Table.from_frame(effects, {
            "display_label": ("Touchpoint", "text"),
            "conversion_probability": ("P(convert)", "pct"),
            "conversion_probability_without": ("Without it", "pct"),
            "removal_effect": ("Removal effect", "pct"), "credit_share": ("Credit share", "pct")}),
        height=max(340, 26 * len(top) + 140)))


def _persona(ctx, page, map_id):
    sec = page.section("Markov credit by persona",
                       "The same data-driven credit, within each persona.")
    persona = ctx.frame("attribution_by_persona", map_id=map_id)
    if not len(persona):
        sec.blocks.append(Notice("No per-persona attribution."))
        return
    personas = sorted(persona["persona"].fillna("(unknown)").unique())
    persona["persona"] = persona["persona"].fillna("(unknown)")
    order = (persona.groupby("display_label")["credit"].sum().sort_values(ascending=False)
             .head(TOP).index.tolist())
    cell = {(r.persona, r.display_label): r.credit_share for r in persona.itertuples()}
    z = [[cell.get((p, t), 0) for p in personas] for t in order]
    fig = go.Figure(go.Heatmap(
        z=z, x=[plot_text(p) for p in personas], y=[plot_text(t) for t in order],
        text=[[f"{v:.0%}" for v in row] for row in z], texttemplate="%{text}", zmin=0,
        colorscale=[[0, "#ffffff"], [1, OKABE_ITO[0]]],
        colorbar={"title": {"text": "Credit share"}, "tickformat": ".0%"}))
    fig.update_yaxes(autorange="reversed")
    sec.blocks.append(Chart(
        "Share of each persona's conversions credited to each touchpoint",
        "Each column adds up to 100 % over all touchpoints (the top ones are shown); darker "
        "cells matter more for that persona.",
        labelled(fig, "Persona", "Touchpoint"),
        Table.from_frame(persona[persona["display_label"].isin(order)], {
            "persona": ("Persona", "text"), "display_label": ("Touchpoint", "text"),
            "credit": ("Conversions credited", "float"), "credit_share": ("Share", "pct")}),
        height=max(360, 28 * len(order) + 160)))


def _branches(ctx, page, map_id):
    sec = page.section("Branches: what happened after an email or a ticket",
                       "Each anchor splits by outcome (opened, clicked, nothing; good or bad "
                       "CSAT); the journeys on each branch convert at different rates.")
    branches = ctx.frame("branches", map_id=map_id)
    if not len(branches):
        sec.blocks.append(Notice("No branch results."))
        return
    branches["branch"] = [f"{a}: {o}" for a, o in zip(branches["anchor_label"], branches["outcome"])]
    # A branch with no eligible anchor has no rate (null): it stays in the table, not the chart.
    charted = branches[branches["conversion_rate"].notna()]
    colours = series_colours(branches["outcome"])
    rate = charted["conversion_rate"]
    fig = hbar(charted["branch"], rate, x_title="Converted afterwards (% of eligible)",
               y_title="Anchor: outcome", x_percent=True,
               colours=[colours[o] for o in charted["outcome"]])
    fig.data[0].error_x = {
        "type": "data", "symmetric": False,
        "array": [0 if pd.isna(h) else h - v for h, v in zip(charted["conversion_rate_high"], rate)],
        "arrayminus": [0 if pd.isna(lo) else v - lo
                       for lo, v in zip(charted["conversion_rate_low"], rate)]}
    sec.blocks.append(Chart(
        "Conversion per branch",
        "Compare bars within one anchor: the outcome with the longer bar is the branch worth "
        "steering customers towards; whiskers are 95 % intervals.",
        fig,
        Table.from_frame(branches, {
            "branch": ("Anchor: outcome", "text"), "n_anchors": ("Anchors", "int"),
            "outcome_share": ("Of the anchor", "pct"), "n_converted": ("Converted", "int"),
            "conversion_rate": ("Rate", "pct"), "conversion_rate_low": ("Low 95 %", "pct"),
            "conversion_rate_high": ("High 95 %", "pct"),
            "median_hours_to_next_touch": ("Median hours to next touch", "float")}),
        height=max(340, 24 * len(charted) + 140)))


def _opportunities(ctx, page, map_id):
    sec = page.section("Opportunity sizing",
                       "Extra endpoint conversions if a step converted at its benchmark: the "
                       "map's target, the best persona's rate or the best week's. Rates count "
                       "the customers whose deadline for the step has passed, as in the weekly "
                       "drop-off and as-is vs ideal reports.")
    opp = ctx.frame("opportunity_steps", map_id=map_id)
    opp = opp[opp["extra_conversions"].notna()]
    if not len(opp):
        sec.blocks.append(Notice("No opportunity results."))
        return
    opp["what"] = [f"{milestone_name(m)} vs {b.replace('_', ' ')}"
                   for m, b in zip(opp["milestone_id"], opp["benchmark"])]
    top = opp.head(TOP)
    best = top.iloc[0]
    if best["extra_conversions"] > 0:
        page.add_headline(
            f"Biggest opportunity: the step into "
            f"{milestone_name(best['milestone_id']).lower()} at the "
            f"{best['benchmark'].replace('_', ' ')} rate would add about "
            f"{fmt_float(best['extra_conversions'], 0)} endpoint conversions.")
    sec.blocks.append(Chart(
        "Extra conversions at the benchmark, per step",
        "Longer bars first: the step and benchmark that would bring the most extra customers to "
        "the endpoint, given the later steps' observed rates.",
        hbar(top["what"], top["extra_conversions"], x_title="Extra endpoint conversions (count)",
             y_title="Step into milestone vs benchmark", colours=OKABE_ITO[2]),
        Table.from_frame(opp, {
            "what": ("Step vs benchmark", "text"), "benchmark_group": ("Benchmark group", "text"),
            "n_entered": ("Entered, deadline passed", "int"), "rate": ("Rate", "pct"),
            "benchmark_rate": ("Benchmark", "pct"), "downstream_rate": ("Then to endpoint", "pct"),
            "extra_conversions": ("Extra conversions", "float")}),
        height=max(320, 26 * len(top) + 140)))
