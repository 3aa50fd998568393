"""The pipeline's milestone funnels recover the sample company's planted funnel.

Truth: `truth.realised.funnel` (conversion without a window) and, for the windowed funnel the
maps define (14 days from the first visit), the planted milestone times in truth/customers.csv.
"Within sampling error": |pipeline rate - true rate| <= 3 standard errors of the true rate. The
pipeline sees stitched identities, so a few unstitched visitors add entrants without signups.
"""

import csv
import math
from datetime import datetime, timedelta

import pytest

from pipeline.resources import connect

MAP = "cadence_bikes_as_is"
STEPS = ("first_visit", "signed_up", "test_ride_booked", "first_order")


def _time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def windowed_truth(exports, window_days, closed_by=None):
    """Per persona (and 'All'): how many planted customers reached each milestone in order
    within the window from their first visit. With `closed_by` (the as-of time), only the
    closed cohort: customers whose window ended by then."""
    counts = {}
    with open(exports / "truth" / "customers.csv", newline="") as f:
        for row in csv.DictReader(f):
            start = _time(row["first_visit_at"])
            deadline = start + timedelta(days=window_days)
            if closed_by is not None and deadline.replace(tzinfo=None) > closed_by:
                continue
            reached, previous = 1, start
            for column in ("signed_up_at", "test_ride_booked_at", "first_order_at"):
                at = _time(row[column])
                if at is None or at < previous or at > deadline:
                    break
                reached, previous = reached + 1, at
            for persona in (row["persona"], "All"):
                c = counts.setdefault(persona, [0] * len(STEPS))
                for k in range(reached):
                    c[k] += 1
    return counts


def within(observed, expected_rate, n, sigmas=3.0):
    se = math.sqrt(expected_rate * (1 - expected_rate) / n)
    return abs(observed - expected_rate) <= sigmas * se


@pytest.fixture(scope="module")
def as_of(sample_company):
    with connect(sample_company.database, read_only=True) as conn:
        return conn.execute("select as_of from journey_maps where map_id = ?",
                            [MAP]).fetchall()[0][0]


@pytest.fixture(scope="module")
def funnel(sample_company):
    with connect(sample_company.database, read_only=True) as conn:
        window = conn.execute("select window_seconds from journey_maps where map_id = ?",
                              [MAP]).fetchall()[0][0]
        rows = conn.execute("""
            select dimension, segment, step_index, persons, conversion_from_previous
            from fct_milestone_funnels where map_id = ? and step_index < 4""",
                            [MAP]).fetchall()
        drops = dict(conn.execute("""
            select step_index, drop_off_rate from fct_dropoff_weekly
            where map_id = ? and entry_week is null""", [MAP]).fetchall())
        drivers = conn.execute("""
            select signal_kind, signal, odds_ratio from fct_dropoff_drivers
            where map_id = ? and entry_week is null and step_index = 1
              and direction = 'success' order by rank""", [MAP]).fetchall()
    table = {(d, s, k): (n, rate) for d, s, k, n, rate in rows}
    return window / 86_400, table, drops, drivers


def test_signup_rate_matches_the_planted_rate(sample_company, funnel):
    _, table, _, _ = funnel
    truth = next(r for r in sample_company.truth["realised"]["funnel"] if r["persona"] == "All")
    # Visit -> signup: the planted delay (median 2 days) almost never exceeds the window.
    n, rate = table[("all", "", 1)]
    assert within(rate, truth["rate_signup"], truth["persons"])


def test_windowed_step_conversions_match_the_planted_times(sample_company, funnel, as_of):
    window_days, table, drops, _ = funnel
    truth = windowed_truth(sample_company.exports, window_days)["All"]
    closed = windowed_truth(sample_company.exports, window_days, closed_by=as_of)["All"]
    # Customers arrive until as-of, so the latest weeks are still in progress.
    assert closed[0] < truth[0]
    for k in (2, 3):
        # To date: everyone who reached k-1, in progress or not.
        expected = truth[k] / truth[k - 1]
        n, rate = table[("all", "", k)]
        assert within(rate, expected, truth[k - 1]), (STEPS[k], rate, expected)
        # Drop-off is over the closed cohort only: windows that ended by as-of.
        expected_drop = 1 - closed[k] / closed[k - 1]
        assert within(drops[k - 1], expected_drop, closed[k - 1]), (STEPS[k], drops[k - 1])


def test_per_persona_conversions_after_signup(sample_company, funnel):
    # Personas are known from the CRM, so only from signup on (visitors who never sign up
    # have no persona in the data).
    window_days, table, _, _ = funnel
    truth = windowed_truth(sample_company.exports, window_days)
    for persona in ("Urban Commuter", "Weekend Explorer", "Family Hauler"):
        for k in (2, 3):
            expected = truth[persona][k] / truth[persona][k - 1]
            n, rate = table[("persona", persona, k)]
            assert within(rate, expected, truth[persona][k - 1]), (persona, STEPS[k], rate)


def test_planted_driver_is_the_top_success_touchpoint(sample_company, funnel):
    # Planted: a nurture click multiplies the chance of booking a test ride (x1.8).
    _, _, _, drivers = funnel
    touchpoints = [(sig, ratio) for kind, sig, ratio in drivers if kind == "touchpoint"]
    assert touchpoints[0][0] == "nurture_email_clicked"
    assert touchpoints[0][1] > 1.5


def test_repeat_orders_use_their_own_180_day_window(sample_company, as_of):
    # The map's repeat_order comes after the endpoint with its own 180-day window, so the
    # 14-day journey window does not bind it. Truth: customers whose planted milestones reach
    # the first order in order within 14 days; of them, who ordered again within 180 days of
    # it (all), and the closed cohort: first orders at least 180 days before as-of.
    with connect(sample_company.database, read_only=True) as conn:
        got = conn.execute("""
            select persons, mature_previous_persons, mature_persons
            from fct_milestone_funnels
            where map_id = ? and dimension = 'all' and step_index = 4""", [MAP]).fetchall()
    repeat_window = timedelta(days=180)
    reached = cohort = cohort_repeated = 0
    with open(sample_company.exports / "truth" / "customers.csv", newline="") as f:
        for row in csv.DictReader(f):
            start = _time(row["first_visit_at"])
            previous, in_order = start, True
            for column in ("signed_up_at", "test_ride_booked_at", "first_order_at"):
                at = _time(row[column])
                if at is None or at < previous or at > start + timedelta(days=14):
                    in_order = False
                    break
                previous = at
            if not in_order:
                continue
            first, repeat = _time(row["first_order_at"]), _time(row["repeat_order_at"])
            repeated = repeat is not None and repeat <= first + repeat_window
            reached += repeated
            if first.replace(tzinfo=None) + repeat_window <= as_of:
                cohort += 1
                cohort_repeated += repeated
    assert cohort > 20 and reached > cohort_repeated > 0
    assert got == [(reached, cohort, cohort_repeated)]


def test_kaplan_meier_conversion_from_entry_recovers_the_planted_rates(sample_company, funnel,
                                                                       as_of):
    # The curve's end estimates the share of entrants who reach each milestone in its window,
    # counting the customers still in progress for as long as they were watched. Truth: the
    # planted times, windowed the same way, over the customers whose window has closed (the
    # others' outcome is not known yet).
    window_days, _, _, _ = funnel
    truth = windowed_truth(sample_company.exports, window_days, closed_by=as_of)["All"]
    with connect(sample_company.database, read_only=True) as conn:
        got = dict(conn.execute("""
            select step_index, km_conversion from fct_time_to_milestone_summary
            where map_id = ? and dimension = 'all'""", [MAP]).fetchall())
    for k in (1, 2, 3):
        expected = truth[k] / truth[0]
        assert within(got[k], expected, truth[0]), (STEPS[k], got[k], expected)
