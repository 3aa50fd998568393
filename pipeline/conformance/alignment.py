"""Optimal alignment of one journey variant against an ideal stage order (PM4Py semantics).

The ideal order is a sequence of stages, each optionally `optional` (may be skipped for free: a
silent move) and `repeatable` (once entered, may be entered again at any later point for free).
As a Petri net: one place between consecutive stages; an optional stage has a silent bypass; a
repeatable stage also marks a side place when it fires, and a transition with the same label
loops on that side place. Standard costs in move units (PM4Py's 10000 = 1): synchronous 0, log
move 1, visible model move 1, silent move 0.

fitness = 1 - cost / (shortest complete ideal path + |trace|), 0 when the denominator is 0
(metric-semantics §6). The shortest complete path is the number of required stages.

Prefix mode (`closed=False`) is for journeys still in progress (§4): the final marking is not
required, so stages the journey has not reached yet cost nothing, and the cheapest complete run of
the empty trace is 0, so the denominator is |trace|.

This runs once per distinct variant, never per customer: the engine (pipeline/conformance/
engine.py) groups journeys by path in DuckDB first, so the interpreted work grows with the number
of distinct paths only. A trace of length L against n stages with r repeatable ones costs
O(L * (n + 1) * 2^r).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SKIPPED_STAGE = "skipped_stage"
OUT_OF_ORDER = "out_of_order"
LOOPED_BACK = "looped_back"
UNEXPECTED_TOUCHPOINT = "unexpected_touchpoint"
REQUIRED_TOUCHPOINT_MISSING = "required_touchpoint_missing"
EXPECTED_FOLLOW_UP_MISSING = "expected_follow_up_missing"
DEVIATION_KINDS = (SKIPPED_STAGE, OUT_OF_ORDER, LOOPED_BACK, UNEXPECTED_TOUCHPOINT,
                   REQUIRED_TOUCHPOINT_MISSING, EXPECTED_FOLLOW_UP_MISSING)

# Move kinds of an alignment.
SYNC, REPEAT, LOG, MODEL, SILENT = "sync", "repeat", "log", "model", "silent"
_INF = float("inf")


@dataclass(frozen=True)
class Stage:
    name: str
    optional: bool = False
    repeatable: bool = False


@dataclass(frozen=True)
class IdealOrder:
    stages: tuple[Stage, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)

    @property
    def shortest_path_length(self) -> int:
        """Visible moves of the cheapest complete run: every required stage once."""
        return sum(not s.optional for s in self.stages)


@dataclass(frozen=True)
class Deviation:
    kind: str
    subject: str  # the stage or touchpoint, in the map's words
    position: int | None  # 1-based position in the trace; None for something missing


@dataclass
class Alignment:
    cost: int
    denominator: int
    fitness: float
    moves: list[tuple[str, str, int | None]] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)


def align(trace: list[str] | tuple[str, ...], ideal: IdealOrder, closed: bool = True) -> Alignment:
    """The optimal alignment of `trace` (activity labels in time order) with `ideal`."""
    stages = ideal.stages
    n = len(stages)
    index = {s.name: k for k, s in enumerate(stages)}
    rep_bit = {}
    for k, s in enumerate(stages):
        if s.repeatable:
            rep_bit[k] = 1 << len(rep_bit)
    n_masks = 1 << len(rep_bit)
    length = len(trace)
    labels = [index.get(label) for label in trace]

    # togo[i][k][m]: the cheapest cost to finish from having consumed trace[:i], passed
    # stages[:k], with the repeatable stages in `m` fired. Filled backwards, so the walk below
    # can pick, at every step, the first optimal move in a fixed priority order.
    togo = [[[_INF] * n_masks for _ in range(n + 1)] for _ in range(length + 1)]

    def options(i, k, m):
        """(move, label, cost, next state) for every move allowed from (i, k, m), in priority order:
        moves that consume the journey first (sync, repeat, log), then silent, then model moves.
        This tie-break makes an event that came too early the deviation (B A C: B out of order),
        rather than inventing a skip before it."""
        if i < length:
            j, label = labels[i], trace[i]
            if j == k:
                yield SYNC, label, 0, (i + 1, k + 1, m | rep_bit.get(k, 0))
            if j is not None and j in rep_bit and m & rep_bit[j]:
                yield REPEAT, label, 0, (i + 1, k, m)
            yield LOG, label, 1, (i + 1, k, m)
        if k < n:
            stage = stages[k]
            if stage.optional:
                yield SILENT, stage.name, 0, (i, k + 1, m)
            yield MODEL, stage.name, 1, (i, k + 1, m | rep_bit.get(k, 0))

    for i in range(length, -1, -1):
        for k in range(n, -1, -1):
            for m in range(n_masks):
                if i == length and (k == n or not closed):
                    togo[i][k][m] = 0
                    continue
                togo[i][k][m] = min(c + togo[a][b][d] for _, _, c, (a, b, d) in options(i, k, m))

    best = togo[0][0][0]
    moves = []
    i, k, m = 0, 0, 0
    while togo[i][k][m] > 0 or (closed and k < n) or i < length:
        for kind, label, c, (a, b, d) in options(i, k, m):
            if c + togo[a][b][d] == togo[i][k][m]:
                moves.append((kind, label, i + 1 if a > i else None))
                i, k, m = a, b, d
                break

    denominator = (ideal.shortest_path_length if closed else 0) + length
    fitness = 1 - best / denominator if denominator else 0.0
    return Alignment(int(best), denominator, fitness, moves,
                     name_deviations(moves, set(index)))


def name_deviations(moves: list[tuple[str, str, int | None]], stage_names: set[str]
                    ) -> list[Deviation]:
    """Journey-language names for the costly moves of one alignment.

    - a log move of a label that is not a stage: unexpected touchpoint;
    - a log move of a stage already entered earlier in the alignment: looped back;
    - a stage both skipped (model move) and present elsewhere (log move): out of order, reported
      once, at the position where it happened;
    - any other log move of a stage (entered before its turn): out of order;
    - any other model move: skipped stage.
    So a deviation can stand for two costly moves (out of order = one log move + one model move).
    """
    entered: set[str] = set()
    skipped = {label for kind, label, _ in moves if kind == MODEL}
    deviations = []
    for kind, label, position in moves:
        if kind in (SYNC, REPEAT):
            entered.add(label)
        elif kind == LOG:
            if label not in stage_names:
                deviations.append(Deviation(UNEXPECTED_TOUCHPOINT, label, position))
            elif label in entered:
                deviations.append(Deviation(LOOPED_BACK, label, position))
            else:
                deviations.append(Deviation(OUT_OF_ORDER, label, position))
    out_of_order = {d.subject for d in deviations if d.kind == OUT_OF_ORDER}
    for label in sorted(skipped - out_of_order, key=[lb for _, lb, _ in moves].index):
        deviations.append(Deviation(SKIPPED_STAGE, label, None))
    return deviations
