"""Fixtures of the client suite: two Staffroom instances that federate (`alpha` and
`beta`), users made on demand, and the `needs` marker for tests of features that
are not built yet (listed in `pending.txt`)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from clients import Toot, mastodon_login
from instances import Instance

HERE = Path(__file__).resolve().parent
PENDING_FILE = HERE / "pending.txt"

# The end of each instance's log, kept for the failure report.
_log_tails: dict[str, str] = {}
_unneeded = pytest.StashKey[list]()


def pending_features() -> set[str]:
    """The feature names in `pending.txt` (one a line; `#` starts a comment)."""
    names = set()
    for line in PENDING_FILE.read_text().splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.add(name)
    return names


def pytest_collection_modifyitems(config, items):
    pending = pending_features()
    needed = set()
    run_pending = os.environ.get("CLIENTS_RUN_PENDING") == "1"
    for item in items:
        for marker in item.iter_markers("needs"):
            if not marker.args:
                raise pytest.UsageError(f"{item.nodeid}: needs() names no feature")
            needed.update(marker.args)
            missing = sorted(set(marker.args) & pending)
            if missing and not run_pending:
                item.add_marker(pytest.mark.skip(reason=f"pending: {', '.join(missing)}"))
    config.stash[_unneeded] = sorted(pending - needed)


def pytest_report_header(config):
    engine = "PostgreSQL" if os.environ.get("STAFFROOM_TEST_DATABASE_URL") else "SQLite"
    return [
        f"Staffroom client suite on {engine}; server: {server_binary()}",
        f"pending features: {', '.join(sorted(pending_features())) or 'none'}",
    ]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    unneeded = config.stash.get(_unneeded, [])
    if unneeded:
        terminalreporter.write_line(
            f"pending.txt names features no selected test needs: {', '.join(unneeded)}"
        )
    if exitstatus == 0:
        return
    for name, tail in _log_tails.items():
        terminalreporter.section(f"last lines of instance {name}'s log")
        terminalreporter.write_line(tail)


def server_binary() -> Path:
    """The `staffroom` executable under test: `CLIENTS_STAFFROOM_BIN`, or the debug
    build in the workspace's target directory."""
    configured = os.environ.get("CLIENTS_STAFFROOM_BIN")
    if configured:
        return Path(configured)
    return HERE.parent.parent / "target" / "debug" / "staffroom"


@pytest.fixture(scope="session")
def work_dir():
    path = Path(tempfile.mkdtemp(prefix="staffroom-clients-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _instance(name: str, work_dir: Path):
    binary = server_binary()
    if not binary.is_file():
        pytest.exit(f"no staffroom binary at {binary}: run `cargo build -p staffroom`", 2)
    instance = Instance(binary, name, work_dir)
    try:
        instance.start()
        yield instance
    finally:
        code = instance.stop()
        _log_tails[name] = instance.log_tail()
        instance.database.drop()
    assert code == 0, f"instance {name} did not stop cleanly on SIGTERM (exit {code})"


@pytest.fixture(scope="session")
def alpha(work_dir):
    """The first instance."""
    yield from _instance("alpha", work_dir)


@pytest.fixture(scope="session")
def beta(work_dir):
    """The second instance, which federates with `alpha`."""
    yield from _instance("beta", work_dir)


@pytest.fixture
def login():
    """Signs a user in with Mastodon.py (password grant): `login(user)`."""
    return mastodon_login


@pytest.fixture
def toot(tmp_path):
    """The toot command line with a configuration of this test's own."""
    return Toot(tmp_path / "toot-config")
