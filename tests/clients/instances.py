"""Real Staffroom instances for the client suite: `staffroom serve` processes on free
loopback ports, each with a database of its own, and the users made for the tests.

The database is a SQLite file in the instance's data directory, unless
`STAFFROOM_TEST_DATABASE_URL` names a PostgreSQL server: then each instance gets a
fresh database there, dropped when the instance stops.
"""

from __future__ import annotations

import ctypes
import itertools
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

POSTGRES_VARIABLE = "STAFFROOM_TEST_DATABASE_URL"

# Every user the suite creates has this password; it passes the instance's rules.
PASSWORD = "a long enough staffroom password"

# How long an instance may take to answer /readyz, and to stop on SIGTERM.
START_LIMIT_SECONDS = 60
STOP_LIMIT_SECONDS = 30

_usernames = itertools.count(1)

# Linux's prctl(PR_SET_PDEATHSIG): a signal for the child when its parent dies.
PR_SET_PDEATHSIG = 1


def _stop_with_parent() -> None:
    """Runs in the server's process before `exec`: if the test run dies without
    stopping it (SIGKILL), the server gets SIGTERM rather than living on."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass(frozen=True)
class User:
    """A local user of an instance, with the credentials to sign in."""

    instance: "Instance"
    username: str
    email: str
    password: str

    @property
    def handle(self) -> str:
        """The user's address as other servers' users write it: `user@domain`."""
        return f"{self.username}@{self.instance.domain}"


class Database:
    """Where one instance keeps its data: a SQLite file, or a PostgreSQL database
    created for it and dropped afterwards."""

    def __init__(self, name: str, data_dir: Path):
        self.server = os.environ.get(POSTGRES_VARIABLE) or None
        self.name = f"staffroom_clients_{os.getpid()}_{name}"
        if self.server is None:
            self.url = f"sqlite://{data_dir / 'staffroom.db'}"
            return
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            admin.execute(f'CREATE DATABASE "{self.name}"')
        parts = urllib.parse.urlsplit(self.server)
        self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))

    @property
    def engine(self) -> str:
        return "SQLite" if self.server is None else "PostgreSQL"

    def drop(self) -> None:
        if self.server is None:
            return
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Instance:
    """One `staffroom serve` process and its data directory and database."""

    def __init__(self, binary: Path, name: str, work_dir: Path, settings: dict[str, str] | None = None):
        self.binary = binary
        # Settings of this instance beyond the suite's own (`STAFFROOM_*`).
        self.settings = settings or {}
        self.name = name
        self.data_dir = work_dir / name
        self.data_dir.mkdir(parents=True)
        self.log_path = self.data_dir / "server.log"
        self.port = free_port()
        # A host name, not an IP address: ActivityPub ids must name a domain.
        self.domain = f"localhost:{self.port}"
        self.base_url = f"http://{self.domain}"
        self.database = Database(name, self.data_dir)
        self.process: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        """The environment of every `staffroom` command run for this instance: the
        caller's, less any Staffroom settings, plus this instance's own."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("STAFFROOM_") and k != "DATABASE_URL"
        }
        env.update(
            {
                "STAFFROOM_DOMAIN": self.domain,
                "STAFFROOM_BIND": f"127.0.0.1:{self.port}",
                "STAFFROOM_DATA_DIR": str(self.data_dir),
                "STAFFROOM_DATABASE_URL": self.database.url,
                "STAFFROOM_REGISTRATIONS": "closed",
                "STAFFROOM_PASSWORD_GRANT": "true",
                # One address signs in dozens of users: limits that never bite,
                # with their headers still sent (Mastodon.py reads them).
                "STAFFROOM_RATE_LIMIT": "1000000",
                "STAFFROOM_FEDERATION_TEST_MODE": "true",
                "STAFFROOM_LOG": "info",
                "STAFFROOM_TITLE": f"Staffroom {self.name}",
            }
        )
        env.update(self.settings)
        return env

    def start(self) -> None:
        """Starts the server and returns once it answers `/readyz`."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(self.binary), "serve"],
                cwd=self.data_dir,
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_stop_with_parent,
            )
        deadline = time.monotonic() + START_LIMIT_SECONDS
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"instance {self.name} exited with {self.process.returncode} "
                    f"before it was ready:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.base_url}/readyz", timeout=5) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"instance {self.name} was not ready after {START_LIMIT_SECONDS} s:\n"
                    f"{self.log_tail()}"
                )
            time.sleep(0.1)

    def stop(self) -> int | None:
        """Stops the server with SIGTERM (SIGKILL if it does not stop in time) and
        returns its exit code, or None when it had to be killed."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=STOP_LIMIT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def admin(self, *args: str, stdin: str = "") -> str:
        """Runs `staffroom admin ARGS` for this instance and returns what it
        printed; fails with its error otherwise."""
        result = subprocess.run(
            [str(self.binary), "admin", *args],
            cwd=self.data_dir,
            env=self.env(),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"admin {args[0]} on {self.name} failed ({result.returncode}): "
                f"{result.stderr.strip()}"
            )
        return result.stdout

    def create_user(self, stem: str, role: str = "user") -> User:
        """A new user with a unique name starting with `stem` (and `role`), created
        as an admin does: `staffroom admin create-user --password-stdin`."""
        username = f"{stem}{next(_usernames)}"
        email = f"{username}@example.org"
        self.admin(
            "create-user", "--username", username, "--email", email, "--password-stdin",
            "--role", role,
            stdin=PASSWORD + "\n",
        )
        return User(self, username, email, PASSWORD)

    def log_size(self) -> int:
        """How many bytes the server has logged so far."""
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def log_since(self, offset: int, lines: int = 80) -> str:
        """The last `lines` lines the server logged after `offset` bytes."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(offset)
                text = log.read().decode(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def log_tail(self, lines: int = 40) -> str:
        """The last `lines` lines of the server's log."""
        return self.log_since(0, lines)
