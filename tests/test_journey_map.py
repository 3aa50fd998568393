"""Journey map files: the shipped examples load, and each kind of mistake gets its own precise
message with file, line and field."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.journey_map import MapError, load_map, load_maps, parse_duration, validate

MAPS = Path(__file__).resolve().parent.parent / "maps"

# A small valid map; each test below breaks one thing in it. Line numbers are counted in this
# text (line 1 = "map: tiny").
TINY = """\
map: tiny
kind: as_is
title: Tiny
persona: {name: Everyone, where: []}
stages:
  - name: Awareness
  - name: Purchase
touchpoints:
  - id: visit
    label: Visits
    stage: Awareness
    department: marketing
    channel: web
    match: {source: segment, event_type: web.page_viewed}
  - id: order
    label: Orders
    stage: Purchase
    department: sales
    channel: web
    match: {event_type: commerce.order_completed}
milestones:
  - {id: first_visit, touchpoint: visit}
  - {id: first_order, touchpoint: order, endpoint: true}
window: 14d
"""


def write(tmp_path, text, name="tiny.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def problems_of(tmp_path, text) -> list[str]:
    path = write(tmp_path, text)
    return [str(p).removeprefix(f"{path}:") for p in validate(path)]


def test_shipped_maps_load():
    as_is, ideal = load_maps(MAPS)
    assert (as_is.map, ideal.map, ideal.ideal_of) == (
        "cadence_bikes_as_is", "cadence_bikes_ideal", "cadence_bikes_as_is")
    assert [m.id for m in as_is.milestones] == [
        "first_visit", "signed_up", "test_ride_booked", "first_order", "repeat_order"]
    assert as_is.endpoint.id == "first_order"
    assert as_is.window == 14 * 86400
    assert as_is.milestones[4].occurrence == 2 and as_is.milestones[4].window == 180 * 86400
    departments = {t.department for t in as_is.touchpoints}
    assert departments == {"marketing", "sales", "operations", "support"}
    assert {t.channel for t in as_is.touchpoints} >= {
        "web", "email", "crm", "in_store", "support", "survey"}
    assert [s.name for s in ideal.stages if s.optional] == ["Awareness", "Loyalty"]
    assert [s.name for s in ideal.stages if s.repeatable] == ["Loyalty"]
    assert ideal.follow_ups[0].within == 3 * 86400
    assert {c.id for c in ideal.claims} == {
        "intent_to_buy", "promoters_come_back", "prefers_email", "satisfied_progress"}


def test_tiny_map_is_valid(tmp_path):
    assert problems_of(tmp_path, TINY) == []


def test_unknown_stage_with_did_you_mean(tmp_path):
    text = TINY.replace("    stage: Purchase", "    stage: Purchse")
    assert problems_of(tmp_path, text) == [
        "17: touchpoints.1.stage: unknown stage 'Purchse'; did you mean 'Purchase'?"]


def test_unknown_touchpoint_in_a_milestone(tmp_path):
    text = TINY.replace("touchpoint: order,", "touchpoint: ordr,")
    assert problems_of(tmp_path, text) == [
        "23: milestones.1.touchpoint: unknown touchpoint 'ordr'; did you mean 'order'?"]


def test_duplicate_touchpoint_id(tmp_path):
    text = TINY.replace("  - id: order", "  - id: visit").replace(
        "touchpoint: order,", "touchpoint: visit, occurrence: 2,")
    assert problems_of(tmp_path, text) == [
        "15: touchpoints.1.id: duplicate touchpoint id 'visit' (first at line 9)"]


def test_bad_regex(tmp_path):
    text = TINY.replace("match: {source: segment, event_type: web.page_viewed}",
                        "match: {where: [{property: url, op: regex, value: '(?<=/)bikes'}]}")
    assert problems_of(tmp_path, text) == [
        "14: touchpoints.0.match.where.0.value: bad regex '(?<=/)bikes': invalid perl operator: (?<"]


def test_milestones_out_of_stage_order(tmp_path):
    text = TINY.replace(
        "  - {id: first_visit, touchpoint: visit}\n  - {id: first_order, touchpoint: order, "
        "endpoint: true}",
        "  - {id: first_order, touchpoint: order}\n  - {id: first_visit, touchpoint: visit, "
        "endpoint: true}")
    assert problems_of(tmp_path, text) == [
        "23: milestones.1: milestone 'first_visit' is in stage 'Awareness', before stage "
        "'Purchase' of the milestone before it ('first_order'); milestones follow the stage "
        "order"]


def test_too_many_milestones_unless_raised_on_purpose(tmp_path):
    extra = "".join(f"  - {{id: order_{n}, touchpoint: order, occurrence: {n}}}\n"
                    for n in range(2, 6))
    text = TINY.replace("window: 14d\n", extra + "window: 14d\n")
    assert problems_of(tmp_path, text) == [
        "21: milestones: 6 milestones; a map has at most 5 (the workshop rule is five). Keep "
        "the few events that matter, or raise max_milestones: on purpose"]
    assert problems_of(tmp_path, text + "max_milestones: 6\n") == []


def test_unknown_key_with_did_you_mean(tmp_path):
    text = TINY.replace("    label: Orders", "    lable: Orders")
    assert problems_of(tmp_path, text) == [
        "15: touchpoints.1.label: Field required",
        "16: touchpoints.1.lable: unknown key 'lable'; did you mean 'label'?"]


def test_second_endpoint(tmp_path):
    text = TINY.replace("{id: first_visit, touchpoint: visit}",
                        "{id: first_visit, touchpoint: visit, endpoint: true}")
    assert problems_of(tmp_path, text) == [
        "23: milestones.1.endpoint: a map has one endpoint; milestone 'first_visit' at line 22 "
        "is already it"]


def test_nth_occurrences_must_go_up(tmp_path):
    text = TINY.replace("{id: first_order, touchpoint: order, endpoint: true}",
                        "{id: second_order, touchpoint: order, occurrence: 2}\n"
                        "  - {id: first_order, touchpoint: order, endpoint: true}")
    assert problems_of(tmp_path, text) == [
        "24: milestones.2.occurrence: occurrence 1 of 'order' comes after occurrence 2 "
        "(milestone 'second_order'); occurrences of one touchpoint go up"]


def test_bad_values(tmp_path):
    text = TINY.replace("window: 14d", "window: 14 days").replace(
        "where: []", "where: [{property: persona, op: equals, value: x}]")
    assert problems_of(tmp_path, text) == [
        "4: persona.where.0.op: Input should be 'eq', 'neq', 'icontains', 'regex', 'is_set', "
        "'gt' or 'lt'",
        "24: window: '14 days' is not a duration; write a number and a unit: 30s, 15m, 12h, "
        "14d, 2w"]


def test_ideal_map_references(tmp_path):
    text = TINY.replace("kind: as_is", "kind: ideal").replace(
        "  - name: Purchase", "  - name: Purchase\n    required: [visit, checkout]") + (
        "follow_ups:\n"
        "  - {id: remind, label: R, after: visit, unless: order, expect: nudge, within: 3d}\n"
        "targets:\n"
        "  - {milestone: first_ordr, conversion_rate: 1.5}\n"
        "claims:\n"
        "  - id: intent\n"
        "    label: Says they will buy\n"
        "    say: {touchpoint: survey, score: {gte: 4}}\n"
        "    do: {milestone: first_order, within: 30d}\n")
    assert problems_of(tmp_path, text) == [
        "8: stages.1.required.0: touchpoint 'visit' is in stage 'Awareness', not 'Purchase'",
        "8: stages.1.required.1: unknown touchpoint 'checkout'; known: visit, order",
        "27: follow_ups.0.expect: unknown touchpoint 'nudge'; known: visit, order",
        "29: targets.0.conversion_rate: Input should be less than or equal to 1",
        "29: targets.0.milestone: unknown milestone 'first_ordr'; did you mean 'first_order'?",
        "33: claims.0.say.touchpoint: unknown touchpoint 'survey'; known: visit, order",
    ]


def test_every_problem_at_once_and_load_raises(tmp_path):
    text = TINY.replace("    stage: Purchase", "    stage: Purchse").replace(
        "    label: Orders", "    lable: Orders")
    path = write(tmp_path, text)
    with pytest.raises(MapError) as info:
        load_map(path)
    assert len(info.value.details) == 3
    assert all(p.startswith(f"{path}:") for p in info.value.problems)


def test_map_ids_unique_across_a_folder(tmp_path):
    write(tmp_path, TINY, "a.yaml")
    write(tmp_path, TINY.replace("kind: as_is", "kind: ideal\nideal_of: nowhere"), "b.yaml")
    with pytest.raises(MapError) as info:
        load_maps(tmp_path)
    assert [str(p) for p in info.value.details] == [
        f"{tmp_path / 'b.yaml'}:1: map: duplicate map id 'tiny' (also in {tmp_path / 'a.yaml'})",
        f"{tmp_path / 'b.yaml'}:3: ideal_of: unknown map 'nowhere'; known: tiny"]


def test_durations():
    assert [parse_duration(v) for v in ("30s", "15m", "12h", "14d", "2w", 1.5)] == [
        30, 900, 43200, 1209600, 1209600, 129600]
    for bad in ("0d", "-1d", "14 days", True):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_validate_command(tmp_path):
    runner = CliRunner()
    good = runner.invoke(app, ["validate", str(MAPS)])
    assert good.exit_code == 0, good.output
    assert "cadence_bikes_as_is" in good.output and "cadence_bikes_ideal" in good.output
    path = write(tmp_path, TINY.replace("    stage: Purchase", "    stage: Purchse"))
    bad = runner.invoke(app, ["validate", str(path)])
    assert bad.exit_code == 1
    assert (f"{path}:17: touchpoints.1.stage: unknown stage 'Purchse'; did you mean "
            f"'Purchase'?") in bad.output
