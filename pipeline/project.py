"""Where a run reads its exports and config from: a Dagster resource, so tests and the CLI can
point a run at any folder without environment tricks."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline import settings
from pipeline.sources import ResolvedObject, SourcesConfig, load_sources_config, resolve


class JourneysProject(dg.ConfigurableResource):
    """The exports folder and the sources config file of this run."""

    exports_dir: str
    sources_config: str
    #: The journey maps folder; empty means settings.maps_dir() (JOURNEYS_MAPS or maps/).
    maps_dir: str = ""

    @property
    def exports_path(self) -> Path:
        return Path(self.exports_dir)

    @property
    def maps_path(self) -> Path:
        return Path(self.maps_dir) if self.maps_dir else settings.maps_dir()

    def config(self) -> SourcesConfig:
        return load_sources_config(Path(self.sources_config))

    def objects(self, kind: str | None = None) -> list[ResolvedObject]:
        objs = resolve(self.config(), self.exports_path)
        return [o for o in objs if kind is None or o.kind == kind]


def default_project() -> JourneysProject:
    return JourneysProject(
        exports_dir=str(settings.exports_dir()),
        sources_config=str(settings.sources_config_path()),
    )
