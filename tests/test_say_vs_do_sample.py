"""Say versus do on the sample company: the generator's planted gaps, recovered."""

import pytest
from sample_tables import rows

from pipeline.resources import connect

IDEAL = "cadence_bikes_ideal"
AS_IS = "cadence_bikes_as_is"


@pytest.fixture(scope="module")
def conn(sample_company):
    with connect(sample_company.database, read_only=True) as c:
        yield c


def test_intent_groups_buy_at_their_planted_rates(conn, sample_company):
    # Planted: intent 1-2, 3 and 4-5 order within 30 days of answering at about 8%, 20% and
    # 45% (truth.realised.say_vs_do counts what was written, over the closed cohort: answers
    # whose 30 days are over, or that led to an order). Customers keep arriving until as-of,
    # so the latest answers are open. The calibration curve of the intent claim gives the same
    # per score; summed into the truth's groups they must agree.
    truth = {g["intent_group"]: g for g in sample_company.truth["realised"]["say_vs_do"]}
    curve = rows(conn, "select * from claim_calibration where map_id = ? and "
                       "claim_id = 'intent_to_buy'", [IDEAL])
    groups = {"1-2": (1, 2), "3": (3,), "4-5": (4, 5)}
    for name, scores in groups.items():
        n = sum(p["respondents"] for p in curve if p["score"] in scores)
        did = sum(p["behaved"] for p in curve if p["score"] in scores)
        assert truth[name]["open"] > 0, name
        assert n == pytest.approx(truth[name]["judged"], rel=0.05), name
        assert did / n == pytest.approx(truth[name]["rate"], abs=0.03), name
    # The curve rises: a calibrated scale (planted 8% < 20% < 45%).
    rate = {name: sum(p["behaved"] for p in curve if p["score"] in s)
            / sum(p["respondents"] for p in curve if p["score"] in s)
            for name, s in groups.items()}
    assert rate["1-2"] < rate["3"] < rate["4-5"]
    assert {p["score"] for p in curve if p["in_say_range"]} == {4.0, 5.0}


def test_intent_claim_reports_the_gap_and_its_customers(conn, sample_company):
    truth = next(g for g in sample_company.truth["realised"]["say_vs_do"]
                 if g["intent_group"] == "4-5")
    claim = rows(conn, "select * from say_vs_do where map_id = ? and claim_id = 'intent_to_buy' "
                       "and grouping = 'all'", [IDEAL])[0]
    assert claim["open"] == pytest.approx(truth["open"], abs=3)
    assert claim["judged"] == pytest.approx(truth["judged"], rel=0.05)
    assert claim["rate"] == pytest.approx(truth["rate"], abs=0.03)
    assert claim["rate_low"] < truth["rate"] < claim["rate_high"]
    assert claim["gap"] == claim["judged"] - claim["did"]
    assert claim["gap_rate"] == pytest.approx(1 - claim["rate"])
    # Customers in the gap, by id: exactly the gap, and none of them has a first order within
    # 30 days of answering.
    gap = rows(conn, "select * from say_vs_do_gap_customers where map_id = ? and "
                     "claim_id = 'intent_to_buy'", [IDEAL])
    assert len(gap) == claim["gap"]
    ordered_in_time = conn.execute("""
        select count(*) from say_vs_do_gap_customers g
        join customer_milestones m using (map_id, customer_id)
        where g.map_id = ? and g.claim_id = 'intent_to_buy' and m.milestone_id = 'first_order'
            and m.reached_at between g.said_at and g.said_at + interval 30 day""",
                                   [IDEAL]).fetchall()[0][0]
    assert ordered_in_time == 0


def test_breakdowns_add_up_and_small_groups_are_flagged(conn):
    table = rows(conn, "select * from say_vs_do where map_id = ? and claim_id = 'intent_to_buy'",
                 [IDEAL])
    overall = next(r for r in table if r["grouping"] == "all")
    for grouping in ("persona", "stage", "cohort_week"):
        parts = [r for r in table if r["grouping"] == grouping]
        assert parts, grouping
        assert sum(r["said"] for r in parts) == overall["said"]
        assert sum(r["did"] for r in parts) == overall["did"]
    for r in table:
        assert r["small_group"] == (r["judged"] < 30)
    # Weekly cohorts of a few dozen answers each are mostly small: flagged, not over-read.
    assert any(r["small_group"] for r in table if r["grouping"] == "cohort_week")


def test_stated_email_preference_against_actual_channel(conn, sample_company):
    # Planted: many who say "Email" lean to the web (about half of them engage mostly there:
    # truth.realised.stated_channel, web events vs email opens and clicks after sign-up),
    # against two thirds of those who say "Web".
    truth = {g["preferred_channel"]: g for g in sample_company.truth["realised"]["stated_channel"]}
    view = rows(conn, "select * from stated_vs_actual_channel where map_id = ?", [AS_IS])
    for stated in ("Email", "Web"):
        web = next(r for r in view if r["stated_channel"] == stated
                   and r["engaged_channel"] == "web")
        total = sum(r["customers"] for r in view if r["stated_channel"] == stated)
        assert total == pytest.approx(truth[stated]["respondents"], rel=0.05)
        assert web["share_of_stated"] == pytest.approx(truth[stated]["mostly_web_share"],
                                                       abs=0.05)
    # The claim "prefers email, so engages mostly by email" (ideal map) shows the same gap. It
    # is judged to date, so an answer from last week stands on a few visits: compare the weekly
    # cohorts whose answers are all at least 30 days old with the truth's mature respondents
    # (answered at least 30 days before as-of).
    weeks = rows(conn, """
        select c.* from say_vs_do as c inner join journey_maps as m using (map_id)
        where map_id = ? and claim_id = 'prefers_email' and grouping = 'cohort_week'
            and c.group_value::date + interval 37 day <= m.as_of""", [IDEAL])
    judged = sum(r["judged"] for r in weeks)
    assert judged == pytest.approx(truth["Email"]["mature_respondents"], rel=0.05)
    assert sum(r["gap"] for r in weeks) / judged == pytest.approx(
        truth["Email"]["mature_mostly_web_share"], abs=0.07)


def test_nps_category_against_later_repurchase(conn, sample_company):
    # Independent count from truth/customers.csv: per NPS bucket, respondents and those whose
    # repeat order came after their answer.
    truth_csv = str(sample_company.exports / "truth" / "customers.csv")
    expected = {r["bucket"]: r for r in rows(conn, """
        select
            case when nps_score::int >= 9 then 'promoter' when nps_score::int >= 7
                then 'passive' else 'detractor' end as bucket,
            count(*) as respondents,
            count(*) filter (where repeat_order_at::timestamp > nps_responded_at::timestamp)
                as repurchased
        from read_csv(?, all_varchar = true)
        where nps_score is not null
        group by bucket""", [truth_csv])}
    view = {r["nps_category"]: r for r in rows(
        conn, "select * from nps_vs_behaviour where map_id = ?", [IDEAL])}
    assert set(view) == set(expected)
    for bucket, e in expected.items():
        assert view[bucket]["respondents"] == pytest.approx(e["respondents"], abs=2), bucket
        assert view[bucket]["repurchased"] == pytest.approx(e["repurchased"], abs=2), bucket
    # Planted: promoters repeat far more than detractors (0.45 vs 0.10 per bucket).
    assert view["promoter"]["repurchase_rate"] > view["detractor"]["repurchase_rate"]


def test_csat_against_progression(conn):
    view = rows(conn, "select * from csat_vs_progression where map_id = ?", [IDEAL])
    assert view
    for r in view:
        assert r["judged"] <= r["answers"]
        assert r["satisfied_but_stalled"] == (
            r["judged"] - r["progressed"] if r["satisfied"] else 0)
    # CSAT answers come after the first order: the customers were past Awareness.
    assert all(r["stage"] != "Awareness" for r in view)
