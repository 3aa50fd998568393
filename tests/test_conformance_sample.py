"""Conformance on the sample company: the planted follow-up hole, the planted delays, and the
aggregates recomputed from the per-journey rows."""

import math

import pytest
from sample_tables import rows

from pipeline.resources import connect

IDEAL = "cadence_bikes_ideal"


@pytest.fixture(scope="module")
def conn(sample_company):
    with connect(sample_company.database, read_only=True) as c:
        yield c


def test_follow_up_hole_is_recovered(conn, sample_company):
    # Planted: about 60% of Nurture 1 non-openers get the reminder within 3 days. truth.json
    # counts the eligible non-openers (delivered, not opened, 3 days observable) and those who
    # got it.
    truth = sample_company.truth["realised"]["follow_up"][0]
    summary = rows(conn, "select * from follow_up_summary where map_id = ?", [IDEAL])[0]
    assert summary["follow_up_id"] == "nurture_reminder"
    assert summary["n_due"] == pytest.approx(truth["non_openers"], rel=0.02)
    assert summary["n_done"] == pytest.approx(truth["got_reminder"], rel=0.02)
    assert summary["done_rate"] == pytest.approx(truth["rate"], abs=0.02)
    assert summary["done_rate_low"] < truth["rate"] < summary["done_rate_high"]
    # Every missed follow-up is a named deviation on that customer's journey.
    missing = conn.execute(
        "select count(distinct customer_id) from conformance_journeys, unnest(deviations) d "
        "where map_id = ? and d.unnest.kind = 'expected_follow_up_missing'", [IDEAL]
    ).fetchall()[0][0]
    assert missing == summary["n_customers_missing"] > 0


def test_missed_follow_ups_are_the_truths_non_recipients(conn, sample_company):
    # Customers reported as missing the reminder are, by email, eligible non-openers whom the
    # generator did not send it to (truth/customers.csv, joined on the normalised email hash).
    truth_csv = str(sample_company.exports / "truth" / "customers.csv")
    found = rows(conn, """
        with truth as (
            select sha256(normalise_email(email)) as email_sha256, reminder_eligible,
                got_reminder
            from read_csv(?, all_varchar = true)
        )
        select truth.reminder_eligible, truth.got_reminder
        from follow_up_checks as checks
        join customers using (customer_id)
        left join truth using (email_sha256)
        where checks.map_id = ? and checks.status = 'missing'""", [truth_csv, IDEAL])
    known = [r for r in found if r["reminder_eligible"] is not None]
    assert len(known) >= 0.95 * len(found) > 0
    wrong = [r for r in known if (r["reminder_eligible"], r["got_reminder"]) != ("true", "false")]
    assert len(wrong) <= 0.03 * len(known)


def test_fitness_aggregates_follow_their_definitions(conn):
    journeys = rows(conn, "select * from conformance_journeys where map_id = ?", [IDEAL])
    summary = rows(conn, "select * from conformance_summary where map_id = ?", [IDEAL])[0]
    closed = [j for j in journeys if j["is_closed"]]
    for j in journeys:
        expected = 1 - j["cost"] / j["denominator"] if j["denominator"] else 0.0
        assert j["fitness"] == pytest.approx(expected)
    assert summary["n_journeys"] == len(journeys)
    assert summary["n_closed"] == len(closed)
    assert summary["log_fitness"] == pytest.approx(
        1 - sum(j["cost"] for j in closed) / sum(j["denominator"] for j in closed))
    assert summary["average_fitness"] == pytest.approx(
        sum(j["fitness"] for j in closed) / len(closed))
    assert summary["perfectly_fitting_share"] == pytest.approx(
        sum(j["fitness"] == 1 for j in closed) / len(closed))
    variants = rows(conn, "select * from conformance_variants where map_id = ?", [IDEAL])
    assert sum(v["n_journeys"] for v in variants) == len(journeys)
    assert summary["n_variants"] == len(variants)
    # Deviations per persona add up to the overall count of each (kind, subject).
    overall = {(d["kind"], d["subject"]): d["n_journeys"] for d in rows(
        conn, "select * from conformance_deviations where map_id = ?", [IDEAL])}
    per_persona: dict = {}
    for d in rows(conn, "select * from conformance_deviations_by_persona where map_id = ?",
                  [IDEAL]):
        key = (d["kind"], d["subject"])
        per_persona[key] = per_persona.get(key, 0) + d["n_journeys"]
    assert per_persona == overall
    # The week view partitions the closed journeys.
    assert conn.execute("select sum(n_closed) from conformance_by_week where map_id = ?",
                        [IDEAL]).fetchall()[0][0] == len(closed)


def test_journeys_that_never_ordered_skipped_purchase(conn):
    # The ideal requires Purchase; a closed journey without any order event is missing it, so
    # its alignment skips the stage (or, with purchase-stage events out of place, reorders it).
    bad = conn.execute("""
        select count(*) from conformance_journeys j
        join customer_journeys c using (map_id, customer_id)
        where j.map_id = ? and j.is_closed and not list_contains(j.path, 'Purchase')
            and not list_contains([d.kind || ':' || d.subject for d in j.deviations],
                                  'skipped_stage:Purchase')""", [IDEAL]).fetchall()[0][0]
    assert bad == 0


def test_step_targets_and_what_if(conn, sample_company):
    steps = {r["milestone_id"]: r for r in rows(
        conn, "select * from step_targets where map_id = ? order by milestone_index", [IDEAL])}
    truth = next(r for r in sample_company.truth["realised"]["funnel"] if r["persona"] == "All")
    # Planted: about half of the visitors sign up; the step's target is 0.6.
    signed_up = steps["signed_up"]
    assert signed_up["conversion_rate"] == pytest.approx(truth["rate_signup"], abs=0.05)
    assert signed_up["target_rate"] == 0.6
    mature = signed_up["entered"] - signed_up["open"]
    assert signed_up["lost_vs_target"] == pytest.approx(0.6 * mature - signed_up["converted"])
    # What-if, recomputed: the customers this step lost against its target, carried through
    # the later steps up to the endpoint (first_order) at their observed rates.
    later = steps["test_ride_booked"]["conversion_rate"] * steps["first_order"]["conversion_rate"]
    assert signed_up["extra_endpoint_if_met"] == pytest.approx(
        signed_up["lost_vs_target"] * later)
    assert steps["repeat_order"]["extra_endpoint_if_met"] == 0  # after the endpoint
    assert sorted(s["impact_rank"] for s in steps.values()) == [1, 2, 3, 4]
    ranked = sorted(steps.values(), key=lambda s: s["impact_rank"])
    assert [s["extra_endpoint_if_met"] for s in ranked] == sorted(
        (s["extra_endpoint_if_met"] for s in ranked), reverse=True)
    # Planted delay sign-up to test-ride booking: median about 5 days (truth, per person).
    assert steps["test_ride_booked"]["median_seconds"] / 86400 == pytest.approx(
        truth["median_days_signup_to_test_ride"], rel=0.15)


def test_booking_to_ride_handoff_latency(conn):
    # Planted: the store ride happens 1 to 4 days after the online booking (uniform), so the
    # sales → operations handoff test_ride_booked → test_ride has a median near 60 hours.
    ride = rows(conn, """
        select * from department_handoffs
        where map_id = ? and level = 'touchpoint' and from_touchpoint = 'test_ride_booked'
            and to_touchpoint = 'test_ride'""", [IDEAL])[0]
    assert (ride["from_department"], ride["to_department"]) == ("sales", "operations")
    assert 50 * 3600 < ride["median_latency_seconds"] < 70 * 3600
    department = rows(conn, """
        select * from department_handoffs where map_id = ? and level = 'department'
            and from_department = 'sales' and to_department = 'operations'""", [IDEAL])[0]
    assert department["n_handoffs"] >= ride["n_handoffs"]
    assert department["drop_rate"] == pytest.approx(department["dropped"] / department["at_risk"])
    for level in ("department", "touchpoint"):
        ranked = rows(conn, "select dropped from department_handoffs where map_id = ? and "
                            "level = ? order by handoff_rank", [IDEAL, level])
        assert [r["dropped"] for r in ranked] == sorted((r["dropped"] for r in ranked),
                                                        reverse=True)


def test_wilson_macro_matches_the_formula(conn):
    def wilson(x, n, z=1.959963984540054):
        p = x / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return centre - half, centre + half

    for x, n in [(0, 10), (10, 10), (232, 400), (1, 3)]:
        low, high = conn.execute("select wilson_low(?, ?), wilson_high(?, ?)",
                                 [x, n, x, n]).fetchall()[0]
        assert (low, high) == pytest.approx(wilson(x, n))
    assert conn.execute("select wilson_low(0, 0)").fetchall()[0][0] is None
    # At no successes (all successes) the bound is exactly 0 (1), never a rounding error
    # outside [0, 1]: 0 of 773 gave -8.6e-19 and failed the funnel rate check.
    assert conn.execute("select wilson_low(0, 773), wilson_high(773, 773)").fetchall() == [
        (0.0, 1.0)]
