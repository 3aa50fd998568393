"""The funnel engine against small cases worked out by hand (docs/metrics.md#funnels).

Times are hours after 2026-01-05 00:00 UTC unless said otherwise. H = 3600 s, D = 86 400 s.
"""

import sys
from datetime import datetime, timedelta

import duckdb
import pytest

from pipeline.funnels.engine import run_funnel
from pipeline.funnels.matching import EventsError
from pipeline.funnels.spec import FunnelSpec

H, D = 3_600, 86_400
BASE = datetime(2026, 1, 5)


@pytest.fixture(autouse=True, params=["text ids", "integer ids", "integer ids, rows shuffled",
                                      "integer ids, spread out"])
def id_layout(request, monkeypatch):
    """Every case runs four ways: text person ids (DuckDB sorts), integer ids (the counting sort
    in dense_sort.py), integer ids with the rows stored out of tie-break order (the counting
    sort must then compare tie-breaks too), and integer ids too far apart for a counting sort
    (DuckDB sorts again). The expected values are the same."""
    monkeypatch.setattr(sys.modules[__name__], "ID_LAYOUT", request.param)


ID_LAYOUT = "text ids"


def funnel(events, spec, persons=None, people=False):
    """events: (person, event, hours, {props}); the list order is the tie-break."""
    props = sorted({k for e in events for k in (e[3] if len(e) > 3 else {})})
    # Integer ids: p1 -> 1 and so on (any other name gets a number of its own).
    names = sorted({e[0] for e in events} | set(persons or {}))
    spread = 10 ** 12 if ID_LAYOUT == "integer ids, spread out" else 1
    number = {name: (i + 1) * spread for i, name in enumerate(names)}
    integer = ID_LAYOUT != "text ids"
    pid = (lambda name: number[name]) if integer else (lambda name: name)
    conn = duckdb.connect()
    cols = ", ".join(f'"{p}" varchar' for p in props)
    conn.execute(f"create table ev (fn_row bigint, person_id {'bigint' if integer else 'varchar'}, "
                 f"event varchar, timestamp timestamp{', ' + cols if cols else ''})")
    rows = list(enumerate(events))
    if ID_LAYOUT == "integer ids, rows shuffled":
        rows.reverse()
    for i, e in rows:
        extra = e[3] if len(e) > 3 else {}
        conn.execute(f"insert into ev values ({', '.join(['?'] * (4 + len(props)))})",
                     [i, pid(e[0]), e[1], BASE + timedelta(hours=e[2])]
                     + [extra.get(p) for p in props])
    if persons:
        pcols = sorted({k for v in persons.values() for k in v})
        conn.execute(f"create table persons (person_id {'bigint' if integer else 'varchar'}, "
                     + ", ".join(f'"{c}" varchar' for c in pcols) + ")")
        for name, v in persons.items():
            conn.execute(f"insert into persons values (?{', ?' * len(pcols)})",
                         [pid(name)] + [v.get(c) for c in pcols])
    result = run_funnel(conn, "ev", FunnelSpec.model_validate(spec),
                        persons="persons" if persons else None, people=people, tiebreak="fn_row")
    if integer and people:
        name_of = {str(n): name for name, n in number.items()}
        for steps in [result["steps"]] + [b["steps"] for b in result.get("breakdowns", [])]:
            for step in steps:
                for key in ("people", "dropped_people"):
                    step[key] = sorted(name_of[x] for x in step[key])
    return result


def counts(result):
    return [s["count"] for s in result["steps"]]


ABC = {"steps": [{"event": "A"}, {"event": "B"}, {"event": "C"}]}


def test_ordered_counts_rates_and_people():
    # p1: A B C -> furthest 2; p2: A B -> 1; p3: A -> 0; p4: B C only -> never entered.
    # counts [3, 2, 1]; from start [1, 2/3, 1/3]; from previous [1, 2/3, 1/2].
    ev = [("p1", "A", 0), ("p1", "B", 1), ("p1", "C", 3),
          ("p2", "A", 0), ("p2", "B", 2),
          ("p3", "A", 0),
          ("p4", "B", 0), ("p4", "C", 1)]
    r = funnel(ev, ABC, people=True)
    assert counts(r) == [3, 2, 1]
    assert [s["conversion_from_start"] for s in r["steps"]] == pytest.approx([1, 2 / 3, 1 / 3])
    assert [s["conversion_from_previous"] for s in r["steps"]] == pytest.approx([1, 2 / 3, 0.5])
    assert r["steps"][1]["people"] == ["p1", "p2"]
    assert r["steps"][1]["dropped_people"] == ["p3"]
    assert r["steps"][2]["dropped_people"] == ["p2"]
    # A->B times: p1 1h, p2 2h -> mean 1.5h, median (1h+2h)/2 = 1.5h; B->C: p1 2h.
    assert r["steps"][1]["average_seconds"] == pytest.approx(1.5 * H)
    assert r["steps"][1]["median_seconds"] == pytest.approx(1.5 * H)
    assert r["steps"][2]["median_seconds"] == pytest.approx(2 * H)
    assert r["steps"][0]["average_seconds"] is None


def test_window_bound_is_inclusive_and_anchored_at_step_zero():
    # Window 1d. p1: B exactly 24h after A -> converts. p2: 24h + 1s -> does not.
    # p3: A 0, B 20h, C 25h: C is 25h after the attempt's A (one total window) -> stops at B.
    spec = {**ABC, "window": "1d"}
    ev = [("p1", "A", 0), ("p1", "B", 24),
          ("p2", "A", 0), ("p2", "B", 24 + 1 / 3600),
          ("p3", "A", 0), ("p3", "B", 20), ("p3", "C", 25)]
    r = funnel(ev, spec, people=True)
    assert counts(r) == [3, 2, 0]
    assert r["steps"][1]["people"] == ["p1", "p3"]


@pytest.mark.parametrize("window, seconds", [("90s", 90), ("2m", 120), ("3h", 3 * H),
                                              ("2", 2 * D), (5, 5 * D), ("1w", 7 * D),
                                              ("0d", 14 * D), (-3, 14 * D)])
def test_window_units(window, seconds):
    assert FunnelSpec.model_validate({**ABC, "window": window}).window_seconds == seconds


def test_every_step_zero_starts_an_attempt_and_the_furthest_wins():
    # Window 14d. p1: A(0) A(10d) B(20d): B is 20d after the first A but 10d after the second,
    # so the second attempt converts; time A->B is measured from the latest A: 10d.
    # p2: A(0) B(1d) A(5d): the later attempt is incomplete and ignored; the person counts at B
    # with the first attempt's time 1d.
    ev = [("p1", "A", 0), ("p1", "A", 240), ("p1", "B", 480),
          ("p2", "A", 0), ("p2", "B", 24), ("p2", "A", 120)]
    r = funnel(ev, ABC, people=True)
    assert counts(r) == [2, 2, 0]
    assert sorted(r["steps"][1]["people"]) == ["p1", "p2"]
    # times 10d and 1d -> mean 5.5d, median 5.5d.
    assert r["steps"][1]["average_seconds"] == pytest.approx(5.5 * D)


def test_one_event_fills_one_step():
    # Steps A, A, B: one A reaches step 0 only; two A's reach step 1; A A B completes.
    spec = {"steps": [{"event": "A"}, {"event": "A"}, {"event": "B"}]}
    ev = [("p1", "A", 0), ("p1", "B", 1),
          ("p2", "A", 0), ("p2", "A", 1),
          ("p3", "A", 0), ("p3", "A", 1), ("p3", "B", 2)]
    r = funnel(ev, spec, people=True)
    assert counts(r) == [3, 2, 1]
    assert r["steps"][2]["people"] == ["p3"]


def test_any_event_step_and_events_matching_several_steps():
    # Steps A, (any event). p1's lone A matches both steps but is applied from the highest
    # step down against the state before it: no attempt exists yet, so it only starts one.
    # p2: A then X (any) -> step 1 after 1h.
    spec = {"steps": [{"event": "A"}, {"event": None}]}
    ev = [("p1", "A", 0), ("p2", "A", 0), ("p2", "X", 1)]
    r = funnel(ev, spec, people=True)
    assert counts(r) == [2, 1]
    assert r["steps"][1]["people"] == ["p2"]
    assert r["steps"][1]["median_seconds"] == pytest.approx(H)
    assert r["steps"][1]["name"] == "Any event"


def test_same_timestamp_counts_as_in_order():
    # p1: A and B at the same time (A first in the file) -> converts with time 0.
    # p2: B listed before A at the same time: a mixed group is expanded by step, so A (step 0)
    # is applied before B (step 1) and p2 converts too, time 0.
    spec = {"steps": [{"event": "A"}, {"event": "B"}]}
    ev = [("p1", "A", 5), ("p1", "B", 5), ("p2", "B", 5), ("p2", "A", 5)]
    r = funnel(ev, spec)
    assert counts(r) == [2, 2]
    assert r["steps"][1]["average_seconds"] == 0
    # Steps A, A at one timestamp: a group of identical events is processed one by one, so
    # two A's at the same time reach step 1 ... but "already reached" compares the attempt's
    # entry time: the second A starts no new attempt (same t0) and extends step 0 -> step 1.
    r2 = funnel([("p", "A", 0), ("p", "A", 0)], {"steps": [{"event": "A"}, {"event": "A"}]})
    assert counts(r2) == [1, 1]


def test_mixed_group_never_reuses_an_event():
    # Steps A, (any). One A and one X at the same time. Candidates by step: A->step0,
    # then step 1 candidates A and X in file order: A is already on the path (skipped), X fills
    # step 1 -> converts. A lone A at a time has nothing else to use -> step 0 only (p2).
    spec = {"steps": [{"event": "A"}, {"event": None}]}
    r = funnel([("p1", "A", 0), ("p1", "X", 0), ("p2", "A", 0)], spec)
    assert counts(r) == [2, 1]


def test_strict_order_needs_the_very_next_event():
    # p1: A X B -> X clears the attempt: strict stops at A (ordered would reach B).
    # p2: A B -> converts. p3: A X A B -> the second A restarts, B follows directly.
    spec = {"steps": [{"event": "A"}, {"event": "B"}], "order": "strict"}
    ev = [("p1", "A", 0), ("p1", "X", 1), ("p1", "B", 2),
          ("p2", "A", 0), ("p2", "B", 1),
          ("p3", "A", 0), ("p3", "X", 1), ("p3", "A", 2), ("p3", "B", 3)]
    r = funnel(ev, spec, people=True)
    assert counts(r) == [3, 2]
    assert r["steps"][1]["people"] == ["p2", "p3"]
    assert counts(funnel(ev, {**spec, "order": "ordered"})) == [3, 3]


def test_unordered_counts_distinct_steps_in_a_sliding_window():
    # Steps A, B, C unordered, window 1d.
    # p1: C(0) A(2h) -> 2 distinct steps.  p2: C(0) A(30h) B(31h): C leaves the window before
    # B, so the best window holds A, B -> 2 steps, time between sorted firsts = 1h.
    # p3: B A C within a day -> 3 steps; times: A-B 1h, C-A 2h.
    spec = {**ABC, "order": "unordered", "window": "1d"}
    ev = [("p1", "C", 0), ("p1", "A", 2),
          ("p2", "C", 0), ("p2", "A", 30), ("p2", "B", 31),
          ("p3", "B", 0), ("p3", "A", 1), ("p3", "C", 3)]
    r = funnel(ev, spec, people=True)
    assert counts(r) == [3, 3, 1]
    assert r["steps"][2]["people"] == ["p3"]
    assert [s["name"] for s in r["steps"]] == ["Completed 1 step", "Completed 2 steps",
                                               "Completed 3 steps"]
    # Step 1 times: p1 2h, p2 1h, p3 1h -> mean 4/3 h, median 1h. Step 2: p3 2h.
    assert r["steps"][1]["average_seconds"] == pytest.approx(4 / 3 * H)
    assert r["steps"][1]["median_seconds"] == pytest.approx(H)
    assert r["steps"][2]["median_seconds"] == pytest.approx(2 * H)


def test_unordered_exclusion_discards_the_window_without_removing_the_person():
    # Steps A, B unordered, exclusion X over the whole funnel.
    # p1: A X B: X discards A, then B alone -> 1 step (the person stays in the funnel).
    # p2: A B X: completed before X -> 2 steps.
    spec = {"steps": [{"event": "A"}, {"event": "B"}], "order": "unordered",
            "exclusions": [{"event": "X", "from_step": 0, "to_step": 1}]}
    ev = [("p1", "A", 0), ("p1", "X", 1), ("p1", "B", 2),
          ("p2", "A", 0), ("p2", "B", 1), ("p2", "X", 2)]
    r = funnel(ev, spec, people=True)
    assert counts(r) == [2, 1]
    assert r["steps"][1]["people"] == ["p2"]
    assert r["excluded"] == 0


def test_exclusion_removes_the_person_unless_a_later_clean_attempt_catches_up():
    # Steps A B C, exclusion X between steps 0 and 1.
    # p1: A X B C -> the attempt is tainted, its progress too: p1 leaves the funnel.
    # p2: A X A B -> the second attempt is clean and reaches B: counted at step 1.
    # p3: A B X C -> X comes after B, outside the 0->1 span: completes.
    # p4: A (X 15d later, outside the 14d window) -> still counted at step 0.
    spec = {**ABC, "exclusions": [{"event": "X", "from_step": 0, "to_step": 1}]}
    ev = [("p1", "A", 0), ("p1", "X", 1), ("p1", "B", 2), ("p1", "C", 3),
          ("p2", "A", 0), ("p2", "X", 1), ("p2", "A", 2), ("p2", "B", 3),
          ("p3", "A", 0), ("p3", "B", 1), ("p3", "X", 2), ("p3", "C", 3),
          ("p4", "A", 0), ("p4", "X", 15 * 24)]
    r = funnel(ev, spec, people=True)
    assert r["steps"][0]["people"] == ["p2", "p3", "p4"]
    assert counts(r) == [3, 2, 1]
    assert r["excluded"] == 1


def test_exclusion_conditions_and_later_spans():
    # Exclusion X where plan = pro, between steps 1 and 2.
    # p1: A B X(pro) C -> removed. p2: A B X(free) C -> X does not match, completes.
    # p3: A X(pro) B C -> at X no attempt has reached step 1 yet: nothing tainted, completes.
    spec = {**ABC, "exclusions": [{"event": "X", "from_step": 1, "to_step": 2,
                                   "where": [{"property": "plan", "op": "eq", "value": "pro"}]}]}
    ev = [("p1", "A", 0), ("p1", "B", 1), ("p1", "X", 2, {"plan": "pro"}), ("p1", "C", 3),
          ("p2", "A", 0), ("p2", "B", 1), ("p2", "X", 2, {"plan": "free"}), ("p2", "C", 3),
          ("p3", "A", 0), ("p3", "X", 1, {"plan": "pro"}), ("p3", "B", 2), ("p3", "C", 3)]
    r = funnel(ev, spec, people=True)
    assert r["steps"][2]["people"] == ["p2", "p3"]
    assert r["excluded"] == 1


def test_optional_steps():
    # Steps A, B (optional), C. p1: A C -> counted at A and C, not B. p2: A B C -> all three.
    # p3: A B -> A and B. counts: A 3, B 2 (p2, p3), C 2 (p1, p2).
    # Time into C comes from the previous mandatory step A: p1 2h, p2 3h -> mean 2.5h.
    spec = {"steps": [{"event": "A"}, {"event": "B", "optional": True}, {"event": "C"}]}
    ev = [("p1", "A", 0), ("p1", "C", 2),
          ("p2", "A", 0), ("p2", "B", 1), ("p2", "C", 3),
          ("p3", "A", 0), ("p3", "B", 1)]
    r = funnel(ev, spec, people=True)
    assert counts(r) == [3, 2, 2]
    assert r["steps"][1]["people"] == ["p2", "p3"]
    assert r["steps"][2]["people"] == ["p1", "p2"]
    assert r["steps"][2]["average_seconds"] == pytest.approx(2.5 * H)


def test_every_step_is_listed_even_when_nobody_reached_it_or_the_step_before():
    # Steps A, B (optional), C (optional), D, E. p1: A D -> reaches A and D only; p2: A.
    # Nobody reaches B, C or E, and nobody reaches the step before C (B) or before E (D is
    # reached by p1, so E has p1 as dropped). counts [2, 0, 0, 1, 0]; from start
    # [1, 0, 0, 1/2, 0]; from previous [1, 0/2 = 0, 0/0 = null, 1/0 = null, 0/1 = 0].
    spec = {"steps": [{"event": "A"}, {"event": "B", "optional": True},
                      {"event": "C", "optional": True}, {"event": "D"}, {"event": "E"}]}
    r = funnel([("p1", "A", 0), ("p1", "D", 1), ("p2", "A", 0)], spec, people=True)
    assert [s["name"] for s in r["steps"]] == ["A", "B", "C", "D", "E"]
    assert counts(r) == [2, 0, 0, 1, 0]
    assert [s["conversion_from_start"] for s in r["steps"]] == [1, 0, 0, 0.5, 0]
    assert [s["conversion_from_previous"] for s in r["steps"]] == [1, 0, None, None, 0]
    assert [s["dropped_people"] for s in r["steps"]] == [[], ["p1", "p2"], [], [], ["p1"]]
    # The same by breakdown value: p1 and p2 in one bucket.
    rb = funnel([("p1", "A", 0, {"os": "ios"}), ("p1", "D", 1, {"os": "ios"}),
                 ("p2", "A", 0, {"os": "ios"})], {**spec, "breakdown": {"properties": ["os"]}})
    assert buckets(rb) == {("ios",): [2, 0, 0, 1, 0]}


def test_a_funnel_where_every_person_is_excluded_still_counts_them():
    # p1: A X B with X excluded between A and B -> excluded; nobody else. counts [0, 0],
    # excluded 1.
    spec = {**AB, "exclusions": [{"event": "X"}]}
    r = funnel([("p1", "A", 0), ("p1", "X", 1), ("p1", "B", 2)], spec)
    assert counts(r) == [0, 0]
    assert r["excluded"] == 1


def test_step_window_is_inclusive_from_the_previous_step_and_the_funnel_window_still_applies():
    # Steps A, B, C; C must come within 2h of B; the funnel window is 1d.
    # p1: A 0, B 10, C 12 -> exactly 2h after B (inclusive): completes.
    # p2: A 0, B 10, C 12h + 1s -> too late for its step window: stops at B.
    # p3: A 0, B 23, C 25 -> 2h after B, but 25h after A (past the 1d funnel window): stops at B.
    # p4: A 0, B 10, B 14, C 15 -> one attempt keeps its first B, so C is 5h after it: stops
    #     at B. (A later repeat of a step does not restart the clock; a new A would.)
    # p5: A 0, B 10, A 13, B 14, C 15 -> the second attempt's B is 1h before C: completes,
    #     with B->C time 1h.
    spec = {"steps": [{"event": "A"}, {"event": "B"}, {"event": "C", "window": "2h"}],
            "window": "1d"}
    ev = [("p1", "A", 0), ("p1", "B", 10), ("p1", "C", 12),
          ("p2", "A", 0), ("p2", "B", 10), ("p2", "C", 12 + 1 / 3600),
          ("p3", "A", 0), ("p3", "B", 23), ("p3", "C", 25),
          ("p4", "A", 0), ("p4", "B", 10), ("p4", "B", 14), ("p4", "C", 15),
          ("p5", "A", 0), ("p5", "B", 10), ("p5", "A", 13), ("p5", "B", 14), ("p5", "C", 15)]
    r = funnel(ev, spec, people=True)
    assert counts(r) == [5, 5, 2]
    assert r["steps"][2]["people"] == ["p1", "p5"]
    # B->C: p1 2h, p5 1h -> mean 1.5h.
    assert r["steps"][2]["average_seconds"] == pytest.approx(1.5 * H)


def test_step_window_measures_from_the_previous_step_on_the_path_past_skipped_optional_ones():
    # Steps A, B (optional), C within 2h of the previous step on the path.
    # p1: A 0, C 1 -> B skipped, C is 1h after A: completes (A and C).
    # p2: A 0, B 1, C 2.5 -> 1.5h after B: completes (all three).
    # p3: A 0, B 1, C 4 -> 3h after B, and 4h after A (searching back through optional B):
    #     stops at B.
    spec = {"steps": [{"event": "A"}, {"event": "B", "optional": True},
                      {"event": "C", "window": "2h"}]}
    ev = [("p1", "A", 0), ("p1", "C", 1),
          ("p2", "A", 0), ("p2", "B", 1), ("p2", "C", 2.5),
          ("p3", "A", 0), ("p3", "B", 1), ("p3", "C", 4)]
    r = funnel(ev, spec, people=True)
    assert r["steps"][1]["people"] == ["p2", "p3"]
    assert r["steps"][2]["people"] == ["p1", "p2"]


def test_a_step_outside_the_funnel_window_is_bound_by_its_own_window_only():
    # Steps A, B, C; funnel window 1d; C within 10d of B and not bound by the funnel window
    # (a map's milestone after its endpoint). p1: A 0, B 20h, C 20h + 9d -> completes.
    # p2: A 0, B 20h, C 20h + 11d -> stops at B. p3: A 0, B 25h -> past the funnel window for
    # B, which is still bound by it: stops at A.
    spec = {"steps": [{"event": "A"}, {"event": "B"},
                      {"event": "C", "window": "10d", "within_funnel_window": False}],
            "window": "1d"}
    ev = [("p1", "A", 0), ("p1", "B", 20), ("p1", "C", 20 + 9 * 24),
          ("p2", "A", 0), ("p2", "B", 20), ("p2", "C", 20 + 11 * 24),
          ("p3", "A", 0), ("p3", "B", 25)]
    r = funnel(ev, spec, people=True)
    assert counts(r) == [3, 2, 1]
    assert r["steps"][2]["people"] == ["p1"]


def test_an_exclusion_after_the_step_window_closed_does_not_remove_the_person():
    # Steps A, B (within 2h of A); exclusion X between steps 0 and 1.
    # p1: A 0, X 1 -> inside B's window: removed. p2: A 0, X 3 -> B can no longer follow A,
    # so X taints nothing: p2 stays, counted at A.
    spec = {"steps": [{"event": "A"}, {"event": "B", "window": "2h"}],
            "exclusions": [{"event": "X", "from_step": 0, "to_step": 1}]}
    ev = [("p1", "A", 0), ("p1", "X", 1), ("p2", "A", 0), ("p2", "X", 3)]
    r = funnel(ev, spec, people=True)
    assert r["steps"][0]["people"] == ["p2"]
    assert r["excluded"] == 1


def test_global_filters_apply_to_every_event_and_step_conditions_to_their_step():
    # Filter browser = Safari on every event; step 0 also needs plan in [pro, team].
    # p1: A(Safari, pro) B(Safari) -> converts. p2: A(Safari, pro) B(Chrome) -> B filtered out.
    # p3: A(Safari, free) B(Safari) -> A fails the step condition: never enters.
    spec = {"steps": [{"event": "A", "where": [{"property": "plan", "op": "eq",
                                                "value": ["pro", "team"]}]},
                      {"event": "B"}],
            "filters": [{"property": "browser", "op": "eq", "value": "Safari"}]}
    s, c = {"browser": "Safari"}, {"browser": "Chrome"}
    ev = [("p1", "A", 0, {**s, "plan": "pro"}), ("p1", "B", 1, s),
          ("p2", "A", 0, {**s, "plan": "pro"}), ("p2", "B", 1, c),
          ("p3", "A", 0, {**s, "plan": "free"}), ("p3", "B", 1, s)]
    r = funnel(ev, spec, people=True)
    assert counts(r) == [2, 1]
    assert r["steps"][1]["people"] == ["p1"]


def test_median_is_interpolated_and_mean_is_plain():
    # A->B times 1h, 2h, 3h, 10h: median (2h+3h)/2 = 2.5h, mean 16h/4 = 4h.
    spec = {"steps": [{"event": "A"}, {"event": "B"}]}
    ev = [(f"p{i}", e, t) for i, d in enumerate([1, 2, 3, 10])
          for e, t in (("A", 0), ("B", d))]
    r = funnel(ev, spec)
    assert r["steps"][1]["median_seconds"] == pytest.approx(2.5 * H)
    assert r["steps"][1]["average_seconds"] == pytest.approx(4 * H)


# Breakdown cases. p1: A(browser '') A(Chrome) B(Safari); p2: A(Chrome) B(Chrome).
BD_EVENTS = [("p1", "A", 0, {"browser": None}), ("p1", "A", 1, {"browser": "Chrome"}),
             ("p1", "B", 2, {"browser": "Safari"}),
             ("p2", "A", 0, {"browser": "Chrome"}), ("p2", "B", 1, {"browser": "Chrome"})]
AB = {"steps": [{"event": "A"}, {"event": "B"}]}


def buckets(result):
    return {tuple(g["value"]): counts(g) for g in result["breakdowns"]}


def test_breakdown_first_touch_takes_the_first_non_empty_value():
    # p1's first non-empty value is Chrome (the '' on its first A is skipped); p2 Chrome.
    r = funnel(BD_EVENTS, {**AB, "breakdown": {"properties": ["browser"]}})
    assert buckets(r) == {("Chrome",): [2, 2]}
    assert counts(r) == [2, 2]


def test_breakdown_last_touch():
    # p1's last non-empty value is Safari, p2's Chrome.
    r = funnel(BD_EVENTS, {**AB, "breakdown": {"properties": ["browser"],
                                               "attribution": "last_touch"}})
    assert buckets(r) == {("Safari",): [1, 1], ("Chrome",): [1, 1]}


def test_breakdown_all_events_runs_the_funnel_per_value():
    # '' : p1's first A only -> [1, 0]. Chrome: p1's second A (no Chrome B) and p2's A B
    # -> [2, 1]. Safari: p1's B alone never enters, so the bucket is empty and not shown.
    r = funnel(BD_EVENTS, {**AB, "breakdown": {"properties": ["browser"],
                                               "attribution": "all_events"}})
    assert buckets(r) == {("",): [1, 0], ("Chrome",): [2, 1]}


def test_breakdown_step_takes_the_value_of_the_step_event():
    # Step 1 (B): p1's B is Safari, p2's B is Chrome.
    r = funnel(BD_EVENTS, {**AB, "breakdown": {"properties": ["browser"],
                                               "attribution": "step", "step": 1}})
    assert buckets(r) == {("Safari",): [1, 1], ("Chrome",): [1, 1]}
    # Step 0: p1's A events carry '' and Chrome: p1 appears under both; the '' A at 0h and the
    # B at 2h make a conversion in the '' bucket, the Chrome A at 1h one in Chrome.
    r0 = funnel(BD_EVENTS, {**AB, "breakdown": {"properties": ["browser"],
                                                "attribution": "step", "step": 0}})
    assert buckets(r0) == {("",): [1, 1], ("Chrome",): [2, 2]}


def test_breakdown_on_person_properties_missing_value_is_empty_string():
    persons = {"p1": {"plan": "pro"}, "p2": {"plan": None}}
    r = funnel(BD_EVENTS, {**AB, "breakdown": {"properties": ["plan"], "source": "person"}},
               persons=persons)
    assert buckets(r) == {("pro",): [1, 1], ("",): [1, 1]}


def test_event_name_masks_equal_the_general_rule_masks():
    # Steps and exclusions that are plain event names get their masks from a lookup by name;
    # they must equal the general per-rule CASE masks (here forced by an always-true condition).
    # Overlapping exclusions on one event: X 0->1 guards step 1, X 0->2 steps 1 and 2: mask 6.
    from pipeline.funnels.matching import compile_spec

    plain = {"steps": [{"event": "A"}, {"event": "B"}, {"event": "A"}],
             "exclusions": [{"event": "X", "from_step": 0, "to_step": 1},
                            {"event": "X", "from_step": 0, "to_step": 2},
                            {"event": "B", "from_step": 1, "to_step": 2}]}
    always = [{"property": "event", "op": "is_set"}]
    general = {"steps": [{**s, "where": always} for s in plain["steps"]],
               "exclusions": [{**x, "where": always} for x in plain["exclusions"]]}
    conn = duckdb.connect()
    conn.execute("create table ev as select * from (values ('A'), ('B'), ('X'), ('Y')) t(event)")

    def masks(spec):
        c = compile_spec(FunnelSpec.model_validate(spec), ["event"])
        return conn.execute(f"select event, {c.step_mask}, {c.exclusion_mask} from "
                            f"(select *, {c.event_position or 'null'} as fn_event_position "
                            f"from ev) order by event", c.params).fetchall()

    assert compile_spec(FunnelSpec.model_validate(plain), ["event"]).event_position is not None
    assert compile_spec(FunnelSpec.model_validate(general), ["event"]).event_position is None
    assert masks(plain) == masks(general) == [("A", 0b101, 0), ("B", 0b010, 0b100),
                                              ("X", 0, 0b110), ("Y", 0, 0)]


def table_with_nulls(id_type, null_column):
    """p1: A B; p2: A B; one value set to null (row 0's tie-break, row 3's time or person)."""
    conn = duckdb.connect()
    conn.execute(f"create table ev (fn_row bigint, person_id {id_type}, event varchar, "
                 "timestamp timestamp)")
    rows = [[0, 1, "A", BASE], [1, 1, "B", BASE + timedelta(hours=1)],
            [2, 2, "A", BASE], [3, 2, "B", BASE + timedelta(hours=2)]]
    row, col = {"fn_row": (0, 0), "timestamp": (3, 3), "person_id": (3, 1)}[null_column]
    rows[row][col] = None
    conn.executemany("insert into ev values (?, ?, ?, ?)", rows)
    return conn


@pytest.mark.parametrize("id_type", ["varchar", "bigint"])
def test_a_null_tiebreak_is_sorted_last_and_changes_nothing_here(id_type):
    # A null tie-break leaves integer ids to DuckDB's sort (nulls last), as text ids are.
    r = run_funnel(table_with_nulls(id_type, "fn_row"), "ev", FunnelSpec.model_validate(ABC),
                   tiebreak="fn_row")
    assert counts(r) == [2, 2, 0]


@pytest.mark.parametrize("id_type", ["varchar", "bigint"])
@pytest.mark.parametrize("null_column, breakdown", [("timestamp", False), ("person_id", False),
                                                    ("person_id", True)])
def test_an_event_without_a_person_or_a_time_is_an_error(id_type, null_column, breakdown):
    # Counted anyway, a person-less event joined the last person's events (p2 reached B with
    # someone else's B), and a time-less one had no place in the order.
    spec = {**ABC, "breakdown": {"properties": ["event"]}} if breakdown else ABC
    with pytest.raises(EventsError, match=f"1 with no {null_column}"):
        run_funnel(table_with_nulls(id_type, null_column), "ev",
                   FunnelSpec.model_validate(spec), tiebreak="fn_row")


def test_event_names_match_a_numeric_event_column_by_its_type():
    # Plain names are looked up as text only when the event column is text; on a DOUBLE column
    # step "5" must still match 5.0 (strict: the very next event is 6.0).
    conn = duckdb.connect()
    conn.execute("create table ev as select * from (values (0, 'p1', 5.0, timestamp "
                 "'2026-01-05 00:00'), (1, 'p1', 6.0, timestamp '2026-01-05 01:00')) "
                 "t(fn_row, person_id, event, timestamp)")
    spec = FunnelSpec.model_validate({"steps": [{"event": "5"}, {"event": "6"}],
                                      "order": "strict"})
    assert counts(run_funnel(conn, "ev", spec, tiebreak="fn_row")) == [1, 1]
