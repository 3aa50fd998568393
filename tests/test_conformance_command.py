"""`journeys conformance` on small event files whose results are worked out by hand."""

import json

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.conformance.alignment import IdealOrder, Stage
from pipeline.conformance.command import measure_file
from pipeline.conformance.ideal import FollowUp, IdealMap, Touchpoint

MINIMAL_IDEAL = """\
stages:
  - {name: Awareness}
  - {name: Consideration}
  - {name: Purchase}
  - {name: Onboarding, optional: true}
  - {name: Renewal, optional: true, repeatable: true}
"""

EVENTS = """\
person_id,event,timestamp
a,Awareness,2026-01-01T00:00:00Z
a,Consideration,2026-01-02T00:00:00Z
a,Purchase,2026-01-03T00:00:00Z
a,Renewal,2027-01-03T00:00:00Z
a,Renewal,2028-01-03T00:00:00Z
b,Awareness,2026-01-01 00:00:00
b,Purchase,2026-01-05 00:00:00+02:00
c,Consideration,2026-01-01T00:00:00Z
c,Awareness,2026-01-02T00:00:00Z
c,Webinar,2026-01-02T10:00:00Z
c,Purchase,2026-01-03T00:00:00Z
d,Awareness,2026-02-01T00:00:00Z
d,Consideration,2026-02-02T00:00:00Z
d,Purchase,2026-02-03T00:00:00Z
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "ideal.yaml").write_text(MINIMAL_IDEAL)
    (tmp_path / "events.csv").write_text(EVENTS)
    return tmp_path


def run_json(files, *extra):
    result = CliRunner().invoke(app, ["conformance", "--events", str(files / "events.csv"),
                                      "--ideal", str(files / "ideal.yaml"), "--format", "json",
                                      *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_json_document(files):
    report = run_json(files)
    assert set(report) == {"journeys", "log_fitness", "average_fitness",
                           "perfectly_fitting_share", "variants", "dfg", "start", "end"}
    journeys = {j["person_id"]: j for j in report["journeys"]}
    # a: the ideal plus two renewals (optional, repeatable): fits. Denominator 3 + 5.
    assert (journeys["a"]["cost"], journeys["a"]["fitness"]) == (0, 1.0)
    # b: Consideration skipped: 1 - 1/(3 + 2).
    assert journeys["b"]["cost"] == 1 and journeys["b"]["fitness"] == pytest.approx(0.8)
    assert journeys["b"]["deviations"] == [
        {"kind": "skipped_stage", "subject": "Consideration", "position": None}]
    # c: Consideration before Awareness (2 moves, 1 deviation) and an unknown Webinar (1 move):
    # 1 - 3/(3 + 4).
    assert journeys["c"]["cost"] == 3
    assert journeys["c"]["fitness"] == pytest.approx(4 / 7)
    assert journeys["c"]["deviations"] == [
        {"kind": "out_of_order", "subject": "Consideration", "position": 1},
        {"kind": "unexpected_touchpoint", "subject": "Webinar", "position": 3}]
    # Log: costs 0 + 1 + 3 + 0 over denominators 8 + 5 + 7 + 6.
    assert report["log_fitness"] == pytest.approx(1 - 4 / 26)
    assert report["average_fitness"] == pytest.approx((1 + 0.8 + 4 / 7 + 1) / 4)
    assert report["perfectly_fitting_share"] == pytest.approx(0.5)
    # Variants: four distinct paths of one journey each, so the tie-break (path order) decides.
    assert report["variants"] == [
        {"path": ["Awareness", "Consideration", "Purchase"], "count": 1},
        {"path": ["Awareness", "Consideration", "Purchase", "Renewal", "Renewal"], "count": 1},
        {"path": ["Awareness", "Purchase"], "count": 1},
        {"path": ["Consideration", "Awareness", "Webinar", "Purchase"], "count": 1}]
    dfg = {(e["from"], e["to"]): e for e in report["dfg"]}
    # Awareness → Consideration in a and d, 24 h apart both times.
    assert dfg[("Awareness", "Consideration")]["count"] == 2
    assert dfg[("Awareness", "Consideration")]["median_seconds"] == 86400
    # b's purchase at 2026-01-05 00:00+02:00 is 2026-01-04 22:00 UTC: 94 hours after Awareness.
    assert dfg[("Awareness", "Purchase")]["median_seconds"] == 94 * 3600
    # Self-loops count per occurrence.
    assert dfg[("Renewal", "Renewal")]["count"] == 1
    assert report["start"] == {"Awareness": 3, "Consideration": 1}
    assert report["end"] == {"Purchase": 3, "Renewal": 1}


def test_same_time_events_follow_the_ideal_order(files):
    # Purchase and Consideration at the same instant, Purchase first in the file: the tie-break
    # is the ideal's stage order, so the journey fits.
    (files / "events.csv").write_text(
        "person_id,event,timestamp\n"
        "e,Awareness,2026-01-01T00:00:00Z\n"
        "e,Purchase,2026-01-02T00:00:00Z\n"
        "e,Consideration,2026-01-02T00:00:00Z\n")
    assert run_json(files)["journeys"][0]["fitness"] == 1.0


def test_table_format(files):
    result = CliRunner().invoke(app, ["conformance", "--events", str(files / "events.csv"),
                                      "--ideal", str(files / "ideal.yaml")])
    assert result.exit_code == 0, result.output
    assert "skipped stage: Consideration" in result.output
    assert "log fitness: 84.6%" in result.output  # 1 - 4/26


def test_bad_rows_are_named_by_file_row_and_field(files):
    (files / "events.csv").write_text(
        "person_id,event,timestamp\n"
        "a,Awareness,2026-01-01T00:00:00Z\n"
        ",Purchase,2026-01-02T00:00:00Z\n"
        "b,Purchase,yesterday\n")
    result = CliRunner().invoke(app, ["conformance", "--events", str(files / "events.csv"),
                                      "--ideal", str(files / "ideal.yaml")])
    assert result.exit_code == 2
    assert "events.csv: row 2 (line 3): person_id is empty" in result.output
    (files / "events.csv").write_text("person_id,event,timestamp\n"
                                      "a,Awareness,2026-01-01T00:00:00Z\nb,Purchase,yesterday\n")
    result = CliRunner().invoke(app, ["conformance", "--events", str(files / "events.csv"),
                                      "--ideal", str(files / "ideal.yaml")])
    assert result.exit_code == 2
    assert "row 2 (line 3): timestamp is missing or not a time" in result.output


def test_bad_ideal_file_points_to_the_line(files):
    (files / "ideal.yaml").write_text("stages:\n  - {name: Awareness}\n  - {name: Buy, optinal: true}\n")
    result = CliRunner().invoke(app, ["conformance", "--events", str(files / "events.csv"),
                                      "--ideal", str(files / "ideal.yaml")])
    assert result.exit_code == 2
    assert ":3: stages.1.optinal: unknown key 'optinal'; did you mean 'optional'?" in result.output


def test_missing_column(files):
    (files / "events.csv").write_text("person_id,event\na,Awareness\n")
    result = CliRunner().invoke(app, ["conformance", "--events", str(files / "events.csv"),
                                      "--ideal", str(files / "ideal.yaml")])
    assert result.exit_code == 2
    assert "no column 'timestamp'" in result.output


def test_required_touchpoint_missing_and_expected_follow_up_missing(tmp_path):
    # Ideal with touchpoints: Awareness has `ad_click` (required) and `newsletter_sent`;
    # Consideration has `trial_started`. Follow-up: after `newsletter_sent`, unless `opened`
    # within 3 days, `reminder_sent` within 3 days.
    ideal = IdealMap(
        name="t",
        order=IdealOrder((Stage("Awareness"), Stage("Consideration"))),
        touchpoints=(Touchpoint("ad_click", "Awareness", "marketing", required=True),
                     Touchpoint("newsletter_sent", "Awareness", "marketing"),
                     Touchpoint("opened", "Awareness", "marketing"),
                     Touchpoint("reminder_sent", "Awareness", "marketing"),
                     Touchpoint("trial_started", "Consideration", "sales",
                                event_names=("Trial Started",))),
        follow_ups=(FollowUp("reminder", after="newsletter_sent", unless="opened",
                             expect="reminder_sent", within_seconds=3 * 86400),))
    (tmp_path / "events.csv").write_text(
        "person_id,event,timestamp\n"
        # p: clicked the ad, got the newsletter, opened it (no reminder needed), trial: fits.
        "p,ad_click,2026-01-01T00:00:00Z\n"
        "p,newsletter_sent,2026-01-01T01:00:00Z\n"
        "p,opened,2026-01-01T05:00:00Z\n"
        "p,Trial Started,2026-01-02T00:00:00Z\n"
        # q: no ad click (hole in Awareness); newsletter not opened and no reminder within 3
        # days (the reminder on day 5 is too late): follow-up missing. One visit per stage, so
        # the stage alignment fits (fitness 1) while the two touchpoint deviations are listed.
        "q,newsletter_sent,2026-01-01T00:00:00Z\n"
        "q,reminder_sent,2026-01-05T00:00:00Z\n"
        "q,Trial Started,2026-01-06T00:00:00Z\n"
        # r: newsletter not opened, reminder on day 2: done. No ad click: hole.
        "r,newsletter_sent,2026-01-01T00:00:00Z\n"
        "r,reminder_sent,2026-01-03T00:00:00Z\n"
        # s: newsletter on Jan 9, the file ends Jan 10: the reminder is not due yet.
        "s,ad_click,2026-01-09T00:00:00Z\n"
        "s,newsletter_sent,2026-01-09T00:00:00Z\n"
        "s,Trial Started,2026-01-10T00:00:00Z\n")
    report = measure_file(tmp_path / "events.csv", ideal)
    journeys = {j["person_id"]: j for j in report["journeys"]}
    assert journeys["p"]["deviations"] == []
    assert journeys["q"]["fitness"] == 1.0
    assert journeys["q"]["deviations"] == [
        {"kind": "expected_follow_up_missing", "subject": "reminder", "position": None},
        {"kind": "required_touchpoint_missing", "subject": "ad_click", "position": None}]
    # r never reached Consideration: skipped (cost 1 of 2 + 1), and the hole in Awareness.
    assert journeys["r"]["cost"] == 1
    assert journeys["r"]["deviations"] == [
        {"kind": "skipped_stage", "subject": "Consideration", "position": None},
        {"kind": "required_touchpoint_missing", "subject": "ad_click", "position": None}]
    assert journeys["s"]["deviations"] == []
    # The stage DFG sees visits: q's three Awareness touchpoints are one visit.
    assert {(e["from"], e["to"]): e["count"] for e in report["dfg"]} == {
        ("Awareness", "Consideration"): 3}


def test_full_journey_map_as_the_ideal(tmp_path):
    # The shipped ideal map: raw event names in its match rules mean touchpoints ("Metro" is
    # compare_bikes in Consideration, "Setup Guide" is setup_guide in Onboarding). Awareness
    # is optional. A journey straight from Metro to Setup Guide skips Purchase (required), and
    # Onboarding's required onboarding_email and Consideration's sign_up and
    # nurture_1_delivered are holes: cost 1 over 3 required stages (Consideration, Purchase,
    # Onboarding) + 2 steps.
    from pipeline.settings import REPO_ROOT

    (tmp_path / "events.csv").write_text(
        "person_id,event,timestamp\n"
        "x,Metro,2026-01-01T00:00:00Z\n"
        "x,Setup Guide,2026-01-05T00:00:00Z\n")
    result = CliRunner().invoke(app, [
        "conformance", "--events", str(tmp_path / "events.csv"),
        "--ideal", str(REPO_ROOT / "maps" / "cadence_bikes.ideal.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    journey = json.loads(result.output)["journeys"][0]
    assert journey["cost"] == 1
    assert journey["fitness"] == pytest.approx(1 - 1 / 5)
    assert [(d["kind"], d["subject"]) for d in journey["deviations"]] == [
        ("skipped_stage", "Purchase"),
        ("required_touchpoint_missing", "nurture_1_delivered"),
        ("required_touchpoint_missing", "onboarding_email"),
        ("required_touchpoint_missing", "sign_up")]
