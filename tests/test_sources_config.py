from pathlib import Path

import pytest

from pipeline.config_errors import ConfigError
from pipeline.sources import load_sources_config, resolve, unclaimed_files


def test_repo_config_loads():
    config = load_sources_config(Path(__file__).resolve().parent.parent / "sources.yaml")
    assert config.sources["hubspot"].timezone == "America/New_York"
    assert config.sources["store"].person_id_type == "email"


def test_every_problem_reported_with_line_and_suggestion(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n"
        "  hubspot:\n"
        "    timezon: America/New_York\n"
        "  segment:\n"
        "    timezone: Mars/Olympus\n"
        "  sendgrid:\n"
        "    objects:\n"
        "      events: {fils: ['*.jsonl']}\n")
    with pytest.raises(ConfigError) as info:
        load_sources_config(path)
    problems = info.value.problems
    assert len(problems) == 3
    assert problems[0] == (f"{path}:3: sources.hubspot.timezon: unknown key 'timezon'; "
                           "did you mean 'timezone'?")
    assert problems[1].startswith(f"{path}:5: sources.segment.timezone:")
    assert "unknown time zone 'Mars/Olympus'" in problems[1]
    assert problems[2].startswith(f"{path}:8: sources.sendgrid.objects.events.fils: "
                                  "unknown key 'fils'; did you mean 'files'?")


def test_generic_source_needs_a_kind(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  pos: {folder: pos}\n")
    with pytest.raises(ConfigError, match="source 'pos' has no kind"):
        load_sources_config(path)


def test_unclaimed_files_are_reported(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  sendgrid: {}\n")
    exports = tmp_path / "exports"
    (exports / "sendgrid").mkdir(parents=True)
    (exports / "sendgrid" / "a.jsonl").write_text("")
    (exports / "sendgrid" / "notes.txt").write_text("")
    (exports / "truth").mkdir()
    (exports / "truth" / "truth.json").write_text("{}")
    config = load_sources_config(path)
    assert [p.name for p in unclaimed_files(config, resolve(config, exports), exports)] == [
        "notes.txt"]
