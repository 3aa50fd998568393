"""Alignment fitness and deviations on journeys worked out by hand.

Ideal: A, B, C required; D optional; R optional and repeatable. The cheapest complete run is
A B C (3 visible moves), so a closed trace σ has denominator 3 + |σ| and
fitness = 1 - cost / (3 + |σ|).
"""

import pytest

from pipeline.conformance.alignment import IdealOrder, Stage, align

IDEAL = IdealOrder((Stage("A"), Stage("B"), Stage("C"), Stage("D", optional=True),
                    Stage("R", optional=True, repeatable=True)))


def deviations(trace, closed=True):
    return [(d.kind, d.subject, d.position) for d in align(list(trace), IDEAL, closed).deviations]


@pytest.mark.parametrize("trace, cost, denominator", [
    # Happy path: all syncs, optional D and R skipped silently (cost 0).
    ("ABC", 0, 6),
    # Optional D taken, R taken: still perfect; 3 + 5 = 8.
    ("ABCDR", 0, 8),
    # R repeated three times: repeatable, so the repeats are synchronous loop moves.
    ("ABCRRR", 0, 9),
    # R, then D (which the order puts before R), then R: the first R came early, one log move;
    # D and the second R are synchronous. 3 + 6 = 9.
    ("ABCRDR", 1, 9),
    # B missing: one model move; 1 - 1/5.
    ("AC", 1, 5),
    # B after C: log move B + model move B (or C likewise): cost 2; 1 - 2/6.
    ("ACB", 2, 6),
    # Empty journey: three model moves over a denominator of 3: fitness 0.
    ("", 3, 3),
])
def test_cost_and_fitness(trace, cost, denominator):
    result = align(list(trace), IDEAL)
    assert (result.cost, result.denominator) == (cost, denominator)
    assert result.fitness == pytest.approx(1 - cost / denominator)


def test_fitness_is_zero_when_nothing_is_expected_and_nothing_happened():
    ideal = IdealOrder((Stage("X", optional=True),))
    result = align([], ideal)
    assert (result.cost, result.denominator, result.fitness) == (0, 0, 0.0)


def test_skipped_stage():
    assert deviations("AC") == [("skipped_stage", "B", None)]


def test_skipping_optional_stages_is_free_and_not_a_deviation():
    assert deviations("ABC") == []
    assert deviations("ABCR") == []


def test_out_of_order_is_one_deviation_for_two_moves():
    # B came before A: log move B at position 1, sync A, model move B, sync C. The early event is
    # the deviation (moves that consume the journey are preferred on ties), reported once.
    result = align(list("BAC"), IDEAL)
    assert result.cost == 2
    assert deviations("BAC") == [("out_of_order", "B", 1)]


def test_looped_back():
    # A, B, then A again (A is not repeatable): one log move of a stage already entered.
    result = align(list("ABAC"), IDEAL)
    assert (result.cost, result.fitness) == (1, pytest.approx(1 - 1 / 7))
    assert deviations("ABAC") == [("looped_back", "A", 3)]


def test_repeatable_stage_does_not_loop_back():
    assert deviations("ABCRRR") == []
    # A non-repeatable stage entered twice in a row does loop back.
    assert deviations("ABCDD") == [("looped_back", "D", 5)]


def test_unexpected_touchpoint():
    # X is no stage of the ideal: a log move; 1 - 1/(3 + 4).
    result = align(list("AXBC"), IDEAL)
    assert result.fitness == pytest.approx(6 / 7)
    assert deviations("AXBC") == [("unexpected_touchpoint", "X", 2)]


def test_in_progress_journeys_are_aligned_as_prefixes():
    # Closed, A B misses C (cost 1 of 5). Still in progress, the missing C costs nothing and the
    # empty trace's cheapest run is 0, so the denominator is |σ| = 2.
    closed, open_ = align(list("AB"), IDEAL, closed=True), align(list("AB"), IDEAL, closed=False)
    assert (closed.cost, closed.denominator) == (1, 5)
    assert (open_.cost, open_.denominator, open_.fitness) == (0, 2, 1.0)
    # Jumping ahead still costs in prefix mode: A C is either "B skipped" or "C too early" (cost
    # 1 both); B may still come, and the tie-break prefers the move on the event, so C is early.
    assert align(list("AC"), IDEAL, closed=False).cost == 1
    assert deviations("AC", closed=False) == [("out_of_order", "C", 2)]
