import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import dagster as dg
import pytest

from pipeline.resources import connect

FIXTURE_EXPORTS = Path(__file__).parent / "fixtures" / "exports"
REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def reports_folder(tmp_path_factory):
    """Pipeline runs in tests write their HTML reports here, never into the repo's reports/."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("reports")
        patch.setenv("JOURNEYS_REPORTS", str(folder))
        yield folder


@pytest.fixture
def exports(tmp_path) -> Path:
    """A private copy of the fixture company's exports, safe to corrupt."""
    target = tmp_path / "exports"
    shutil.copytree(FIXTURE_EXPORTS, target)
    return target


@pytest.fixture
def database(tmp_path) -> Path:
    return tmp_path / "warehouse" / "journeys.duckdb"


@pytest.fixture
def sources_config() -> Path:
    return REPO_ROOT / "sources.yaml"


@pytest.fixture
def run(exports, database, sources_config):
    """Run the whole pipeline over `exports`; returns a function to call (again) and a reader."""
    from pipeline.cli import run_pipeline

    def _run():
        return run_pipeline(exports, sources_config, database,
                            instance=dg.DagsterInstance.ephemeral(), echo=False)

    return _run


@pytest.fixture
def query(database):
    def _query(sql_text, params=None):
        with connect(database, read_only=True) as conn:
            return conn.execute(sql_text, params or []).fetchall()

    return _query


@pytest.fixture(scope="session")
def sample_company(tmp_path_factory):
    """The generated sample company (1500 customers, seed 11), run once through every asset.

    Yields its exports folder, the planted truth and the DuckDB file. Tests open their own
    connection (`connect(sample_company.database)`) and must not change shared tables.
    """
    from pipeline.cli import run_pipeline
    from pipeline.generator import generate

    root = tmp_path_factory.mktemp("sample_company")
    exports = root / "exports"
    generate(exports, customers=1500, seed=11)
    database = root / "journeys.duckdb"
    run_pipeline(exports, REPO_ROOT / "sources.yaml", database,
                 instance=dg.DagsterInstance.ephemeral(), echo=False)
    truth = json.loads((exports / "truth" / "truth.json").read_text())
    return SimpleNamespace(exports=exports, truth=truth, database=database)
