"""Say versus do: for each claim in the map (e.g. "says they will buy in 30 days"), how many who
said it did it, with its interval; how the promised behaviour rises with the survey score;
stages where customers are satisfied but stalled; stated vs actual channel."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.charts import labelled
from dashboards.context import ReportContext
from dashboards.page import Chart, Notice, Page, Table, fmt_int, fmt_pct, plot_text
from dashboards.palette import BAD, GOOD, GREY, NEUTRAL, OKABE_ITO, series_colours
from pipeline import settings

NAME = "say_vs_do"
TITLE = "Say versus do"
SUMMARY = "Where customers' words and actions part ways."
TABLES = ["say_vs_do", "claim_calibration", "csat_vs_progression", "stated_vs_actual_channel",
          "map_stages"]
DEPS = ["customers", "say_vs_do_gap_customers"]  # with TABLES, filtered to assets


def _error(low, high, value):
    """Asymmetric error bars from an interval around a value (0 where unknown)."""
    return {"type": "data", "symmetric": False,
            "array": [0 if pd.isna(h) else h - v for h, v in zip(high, value)],
            "arrayminus": [0 if pd.isna(lo) else v - lo for lo, v in zip(low, value)],
            "thickness": 1.5, "width": 6}


def build(ctx: ReportContext) -> Page:
    page = Page(TITLE, SUMMARY, as_of=ctx.as_of, week=ctx.week)
    if page.notice_missing("Say versus do", "say-versus-do", ctx.missing(*TABLES)):
        return page
    _claims(ctx, page)
    _calibration(ctx, page)
    _satisfied_but_stalled(ctx, page)
    _channels(ctx, page)
    if not settings.report_free_text():
        page.section("In their words").blocks.append(Notice(
            "Survey comments are hidden by default, because free text can hold names. Set "
            "JOURNEYS_REPORT_FREE_TEXT=1 to quote them (e-mail addresses and phone numbers stay "
            "masked)."))
    elif ctx.has("say_vs_do_gap_customers", "events", "event_customers"):
        _comments(ctx, page)
    return page


def _comments(ctx, page):
    comments = ctx.frame("say_do_gap_comments")
    if not len(comments):
        return
    sec = page.section("In their words",
                       "What customers who said it and did not wrote in that survey answer "
                       "(the ten most recent per claim; e-mail addresses and phone numbers "
                       "masked).")
    sec.blocks.append(Table.from_frame(comments, {
        "label": ("Claim", "text"), "occurred_at": ("Answered (UTC)", "date"),
        "score": ("Score", "float"), "text": ("Comment", "text")}))


def _claims(ctx, page):
    sec = page.section("Each claim: said it, did it",
                       "Everyone counted said it, so the stated rate is 100 %; the dot is the "
                       "share who did it, the bar its 95 % Wilson interval.")
    claims = ctx.frame("say_do_claims")
    claims = claims[claims["judged"] > 0]
    if not len(claims):
        sec.blocks.append(Notice("No claim has a judged answer yet."))
        return
    for r in claims.itertuples():
        page.add_headline(
            f"{r.label}: {fmt_int(r.did)} of {fmt_int(r.judged)} did it "
            f"({fmt_pct(r.rate, 0)}, 95 % interval {fmt_pct(r.rate_low, 0)}–"
            f"{fmt_pct(r.rate_high, 0)}); {fmt_int(r.gap)} said it and did not"
            + (" — small group, read with care." if r.small_group else "."))
    labels = [plot_text(v) for v in claims["label"]]
    fig = go.Figure([
        go.Scatter(x=[1.0] * len(claims), y=labels, mode="markers", name="Said it (100 %)",
                   marker={"symbol": "line-ns-open", "size": 18, "color": GREY,
                           "line": {"width": 3}}),
        go.Scatter(x=list(claims["rate"]), y=labels, mode="markers", name="Did it",
                   marker={"size": 12, "color": NEUTRAL},
                   error_x=_error(claims["rate_low"], claims["rate_high"], claims["rate"])),
    ])
    fig.update_xaxes(range=[0, 1.05])
    fig.update_yaxes(autorange="reversed")
    claims = claims.assign(flag=["small group" if s else "" for s in claims["small_group"]])
    sec.blocks.append(Chart(
        "Share who did what they said",
        "The further the blue dot sits left of the grey line, the wider the gap between words "
        "and actions.",
        labelled(fig, "Did it (% of those who said it, judged)", "Claim", x_percent=True),
        Table.from_frame(claims, {
            "label": ("Claim", "text"), "said": ("Said it", "int"), "open": ("Not due yet", "int"),
            "judged": ("Judged", "int"), "did": ("Did it", "int"), "rate": ("Rate", "pct"),
            "rate_low": ("Low 95 %", "pct"), "rate_high": ("High 95 %", "pct"),
            "gap": ("Said, did not", "int"), "flag": ("", "text")}),
        height=max(300, 60 * len(claims) + 140)))


def _calibration(ctx, page):
    sec = page.section("Calibration: does a higher score mean more action?",
                       "A useful survey question rises from left to right.")
    cal = ctx.frame("say_do_calibration")
    if not len(cal):
        sec.blocks.append(Notice("No scored answers yet."))
        return
    cal["label"] = cal["label"].fillna(cal["claim_id"])
    colours = series_colours(cal["label"])
    fig = go.Figure()
    for label, part in cal.groupby("label", sort=True):
        fig.add_trace(go.Scatter(
            x=list(part["score"]), y=list(part["rate"]), name=plot_text(label),
            mode="lines+markers", line={"color": colours[label]},
            marker={"size": [12 if s else 7 for s in part["in_say_range"]],
                    "symbol": ["circle" if s else "circle-open" for s in part["in_say_range"]]},
            error_y=_error(part["rate_low"], part["rate_high"], part["rate"])))
    cal = cal.assign(in_range=["yes" if s else "" for s in cal["in_say_range"]])
    sec.blocks.append(Chart(
        "Observed rate of the promised action by survey score",
        "One line per claim; filled dots are the scores the claim counts as saying it; bars "
        "are 95 % intervals.",
        labelled(fig, "Survey score (points)", "Did it (% of respondents)", y_percent=True),
        Table.from_frame(cal, {
            "label": ("Claim", "text"), "score": ("Score", "float"),
            "in_range": ("Counts as said", "text"), "respondents": ("Respondents", "int"),
            "behaved": ("Did it", "int"), "rate": ("Rate", "pct"),
            "rate_low": ("Low 95 %", "pct"), "rate_high": ("High 95 %", "pct")})))


def _satisfied_but_stalled(ctx, page):
    sec = page.section("Satisfied but stalled",
                       "CSAT answers by the stage the customer was in, against whether they then "
                       "reached their next milestone.")
    csat = ctx.frame("say_do_satisfied_stalled")
    csat = csat[csat["judged"] > 0]
    if not len(csat):
        sec.blocks.append(Notice("No judged CSAT answer yet."))
        return
    fig = go.Figure()
    for satisfied, name, colour in ((True, "Satisfied", GOOD), (False, "Not satisfied", BAD)):
        part = csat[csat["satisfied"] == satisfied]
        fig.add_trace(go.Bar(
            x=[plot_text(s) for s in part["stage"]], y=list(part["progression_rate"]),
            name=name, marker={"color": colour, "pattern": {"shape": "" if satisfied else "x"}},
            error_y=_error(part["progression_rate_low"], part["progression_rate_high"],
                           part["progression_rate"])))
    fig.update_layout(barmode="group")
    stalled = csat[csat["satisfied"]].sort_values("satisfied_but_stalled", ascending=False)
    if len(stalled) and stalled.iloc[0]["satisfied_but_stalled"] > 0:
        top = stalled.iloc[0]
        page.add_headline(
            f"{fmt_int(top['satisfied_but_stalled'])} satisfied customers in {top['stage']} did "
            f"not reach their next milestone ({fmt_pct(1 - top['progression_rate'], 0)} of the "
            f"satisfied there).")
    csat = csat.assign(who=["satisfied" if s else "not satisfied" for s in csat["satisfied"]],
                       flag=["small group" if s else "" for s in csat["small_group"]])
    sec.blocks.append(Chart(
        "Went on to the next milestone, by CSAT and stage",
        "Where the green bar is low, customers say they are happy but do not move on.",
        labelled(fig, "Stage when answering", "Reached next milestone (% judged)",
                 y_percent=True),
        Table.from_frame(csat, {
            "stage": ("Stage", "text"), "who": ("CSAT", "text"), "judged": ("Judged", "int"),
            "progressed": ("Went on", "int"), "progression_rate": ("Rate", "pct"),
            "progression_rate_low": ("Low 95 %", "pct"),
            "progression_rate_high": ("High 95 %", "pct"),
            "satisfied_but_stalled": ("Satisfied but stalled", "int"), "flag": ("", "text")})))


def _channels(ctx, page):
    sec = page.section("Stated vs actual channel",
                       "What customers said they prefer, against the channel they actually "
                       "engaged with most afterwards.")
    ch = ctx.frame("say_do_channels")
    if not len(ch):
        sec.blocks.append(Notice("No stated channel preference yet."))
        return
    stated = sorted(ch["stated_channel"].unique())
    engaged = sorted(ch["engaged_channel"].unique())
    share = {(r.stated_channel, r.engaged_channel): r for r in ch.itertuples()}
    z = [[share[(s, e)].share_of_stated if (s, e) in share else 0 for e in engaged]
         for s in stated]
    text = [[f"{share[(s, e)].customers:,} ({fmt_pct(share[(s, e)].share_of_stated, 0)})"
             if (s, e) in share else "0" for e in engaged] for s in stated]
    fig = go.Figure(go.Heatmap(
        z=z, x=[plot_text(e) for e in engaged], y=[plot_text(s) for s in stated],
        text=text, texttemplate="%{text}", zmin=0, zmax=1,
        colorscale=[[0, "#ffffff"], [1, OKABE_ITO[0]]],
        colorbar={"title": {"text": "Share of stated"}, "tickformat": ".0%"}))
    matched = ch[ch["matches_stated"]]["customers"].sum()
    total = ch["customers"].sum()
    page.add_headline(f"{fmt_int(matched)} of {fmt_int(total)} customers who stated a channel "
                      f"engaged mostly on it ({fmt_pct(matched / total if total else None, 0)}).")
    ch = ch.assign(match=["yes" if m else "" for m in ch["matches_stated"]])
    sec.blocks.append(Chart(
        "Stated preference (rows) against the channel engaged most (columns)",
        "Each row adds up to 100 %; a dark cell off the stated channel means people do "
        "something other than what they said.",
        labelled(fig, "Channel engaged most", "Stated preference"),
        Table.from_frame(ch, {
            "stated_channel": ("Stated", "text"), "engaged_channel": ("Engaged most", "text"),
            "customers": ("Customers", "int"), "share_of_stated": ("Of the stated", "pct"),
            "match": ("Same", "text")})))
