"""`journeys validate MAP...`: check journey map files and list every problem with its line."""

from __future__ import annotations

from pathlib import Path

import typer

from pipeline import journey_map


def validate_maps(
    maps: list[Path] = typer.Argument(None, help="Map files or folders (default: the maps "
                                                 "folder, JOURNEYS_MAPS or maps/)."),
) -> None:
    """Check journey maps: unknown stages or touchpoints, duplicate ids, bad regexes,
    milestones out of stage order, too many milestones, misspelt keys."""
    from pipeline import settings

    problems: list[journey_map.Problem] = []
    good: list[journey_map.JourneyMap] = []
    for target in maps or [settings.maps_dir()]:
        if target.is_dir():
            found, folder_problems = journey_map.validate_folder(target)
            if not journey_map.map_files(target):
                folder_problems.append(journey_map.Problem(target, 0, "(folder)",
                                                           "no *.yaml map files here"))
        elif target.is_file():
            found, folder_problems = _one(target)
        else:
            typer.secho(f"{target}: no such file or folder", fg=typer.colors.RED, err=True)
            raise typer.Exit(2)
        good += found
        problems += folder_problems
    for p in problems:
        typer.secho(str(p), fg=typer.colors.RED, err=True)
    for m in good:
        typer.echo(f"{m.file}: ok ({m.kind} map '{m.map}', persona {m.persona.name}: "
                   f"{len(m.stages)} stages, {len(m.touchpoints)} touchpoints, "
                   f"{len(m.milestones)} milestones)")
    if problems:
        typer.secho(f"{len(problems)} problem(s)", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)


def _one(path: Path):
    problems = journey_map.validate(path)
    return ([] if problems else [journey_map.load_map(path)]), problems
