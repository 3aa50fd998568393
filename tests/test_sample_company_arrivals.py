"""Customers of the sample company keep arriving until as-of, so its latest weeks hold journeys
still in progress, as at a real company, and the weekly report is about a recent week.

Truth: truth/customers.csv, read here with csv. A customer is in progress at step k (reached
milestone k, in order, within the journey window from the first visit, and not k+1) while that
window is open at as-of (docs/metrics.md, Drop-off; reference §4). Milestones 1 to 3 share the
map's one 14-day window, so the deadline for steps 0 to 2 is first visit + 14 days.
"""

import csv
from collections import Counter
from datetime import datetime, timedelta

import pytest

from dashboards import dropoff
from dashboards.context import ReportContext
from pipeline.resources import connect

MAP = "cadence_bikes_as_is"
MILESTONES = ("first_visit_at", "signed_up_at", "test_ride_booked_at", "first_order_at")


def _time(text):
    return datetime.fromisoformat(text.replace("Z", "")) if text else None


def _monday(at):
    return (at - timedelta(days=at.weekday())).date()


@pytest.fixture(scope="module")
def observed(sample_company):
    with connect(sample_company.database, read_only=True) as conn:
        as_of, window = conn.execute("select as_of, window_seconds from journey_maps "
                                     "where map_id = ?", [MAP]).fetchall()[0]
        in_progress = conn.execute("""
            select entry_week, step_index, in_progress from fct_dropoff_weekly
            where map_id = ? and entry_week is not null and step_index <= 2""",
                                   [MAP]).fetchall()
        wow = ReportContext(conn, None, "").frame("dropoff_week_over_week", map_id=MAP)
    return as_of, timedelta(seconds=window), in_progress, wow


def truth_in_progress(exports, as_of, window):
    """(entry week, step) -> customers still in progress there, from the planted times; and the
    latest entry week with a customer whose window has closed."""
    counts, latest_closed = Counter(), None
    with open(exports / "truth" / "customers.csv", newline="") as f:
        for row in csv.DictReader(f):
            start = _time(row["first_visit_at"])
            deadline = start + window
            if deadline <= as_of:
                latest_closed = max(latest_closed or _monday(start), _monday(start))
                continue
            furthest, previous = 0, start
            for column in MILESTONES[1:]:
                at = _time(row[column])
                if at is None or at < previous or at > deadline:
                    break
                furthest, previous = furthest + 1, at
            if furthest < len(MILESTONES) - 1:
                counts[(_monday(start), furthest)] += 1
    return counts, latest_closed


def test_the_latest_weeks_hold_customers_in_progress(sample_company, observed):
    as_of, window, rows, _ = observed
    truth, _ = truth_in_progress(sample_company.exports, as_of, window)
    got = {(week, k): n for week, k, n in rows if n}
    # Only the last three entry weeks can still be open with a 14-day window.
    weeks = sorted({week for week, _ in truth})
    assert len(weeks) == 3 and weeks[-1] == _monday(as_of - timedelta(seconds=1))
    assert {week for week, _ in got} == set(weeks)
    assert sum(truth.values()) > 50  # the sample has about 35 arrivals a week
    # After sign-up every customer is identified, so the counts agree exactly. Before it, a
    # visit on a device never linked to the person is a customer of its own in the pipeline.
    for week in weeks:
        for k in (1, 2):
            assert got.get((week, k), 0) == truth[(week, k)], (week, k)
        assert truth[(week, 0)] <= got[(week, 0)] <= truth[(week, 0)] * 1.1 + 2, week


def test_the_weekly_report_is_about_a_recent_week(sample_company, observed):
    as_of, window, _, wow = observed
    _, latest_closed = truth_in_progress(sample_company.exports, as_of, window)
    # The latest week with a closed window is two weeks before as-of's own, as the truth says.
    assert wow["entry_week"].max().date() == latest_closed
    assert latest_closed == _monday(as_of - window)
    week, sentences = dropoff.headline(wow)
    # The headline's week is that one, or the week before it when that one is too small.
    assert datetime.fromisoformat(week).date() >= latest_closed - timedelta(days=7)
    assert sentences
