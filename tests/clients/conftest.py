"""Fixtures of the client suite: Staffroom instances that federate (`alpha` and
`beta`, and `gamma` for instance-wide changes), users made on demand, and the `needs` marker for tests of features that
are not built yet (listed in `pending.txt`)."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest

from clients import Toot, mastodon_login
from instances import Instance

HERE = Path(__file__).resolve().parent
PENDING_FILE = HERE / "pending.txt"

# The instances started so far, whose logs a failing test's report shows.
_started: list[Instance] = []
# Where each instance's log stood when a test began.
_log_marks = pytest.StashKey[dict]()
_unneeded = pytest.StashKey[list]()


def pytest_configure(config):
    # Stopped from outside (a CI time limit, `kill`), stop as on Ctrl-C: the
    # fixtures' teardown stops the instances and drops their databases.
    signal.signal(signal.SIGTERM, _interrupt)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


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
    # Only a run of the whole suite can tell that no test needs a feature.
    whole_suite = (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not config.option.keyword
        and not config.option.markexpr
    )
    unneeded = config.stash.get(_unneeded, [])
    if unneeded and whole_suite:
        terminalreporter.write_line(
            f"pending.txt names features no selected test needs: {', '.join(unneeded)}"
        )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    item.stash[_log_marks] = {i.name: i.log_size() for i in _started}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test's report shows what the instances logged while it ran."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    marks = item.stash.get(_log_marks, {})
    for instance in _started:
        logged = instance.log_since(marks.get(instance.name, 0))
        report.sections.append((f"instance {instance.name}'s log during the test", logged))


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


def _instance(name: str, work_dir: Path, settings: dict[str, str] | None = None):
    """Starts the instance `name` (with `settings` beyond the suite's own), yields
    it, and stops it, checking that it stops cleanly."""
    binary = server_binary()
    if not binary.is_file():
        pytest.exit(f"no staffroom binary at {binary}: run `cargo build -p staffroom`", 2)
    instance = Instance(binary, name, work_dir, settings)
    try:
        _started.append(instance)
        instance.start()
        yield instance
    finally:
        _started.remove(instance)
        code = instance.stop()
        tail = instance.log_tail()
        instance.database.drop()
    assert code == 0, f"instance {name} did not stop cleanly on SIGTERM (exit {code}):\n{tail}"


@pytest.fixture(scope="session")
def alpha(work_dir):
    """The first instance."""
    yield from _instance("alpha", work_dir)


@pytest.fixture(scope="session")
def beta(work_dir):
    """The second instance, which federates with `alpha`."""
    yield from _instance("beta", work_dir)


@pytest.fixture(scope="session")
def gamma(work_dir):
    """A third instance, for tests that change what the whole instance shows
    (challenges, trends)."""
    yield from _instance("gamma", work_dir)


@pytest.fixture
def login():
    """Signs a user in with Mastodon.py (password grant): `login(user)`."""
    return mastodon_login


@pytest.fixture
def toot(tmp_path):
    """The toot command line with a configuration of this test's own."""
    return Toot(tmp_path / "toot-config")
