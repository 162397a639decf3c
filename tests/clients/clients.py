"""The four client libraries as the tests use them: Mastodon.py in-process, toot and
the masto and megalodon scripts as commands, plus waiting for what federation
delivers later."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from mastodon import Mastodon

from instances import User

HERE = Path(__file__).resolve().parent

# Everything the suite asks for; single tests ask for less to check scopes.
SCOPES = ["read", "write", "follow", "push"]

_tags = itertools.count(1)

# How long to wait for something another process does in the background (a delivery
# between instances, media processing) before the test fails.
WAIT_LIMIT_SECONDS = 60


def mastodon_app(user: User, scopes=SCOPES, name: str = "Client suite") -> Mastodon:
    """A Mastodon.py client registered as an app on the user's instance, not yet
    signed in."""
    base = user.instance.base_url
    client_id, client_secret = Mastodon.create_app(
        name, api_base_url=base, scopes=scopes, request_timeout=30
    )
    return Mastodon(
        client_id=client_id,
        client_secret=client_secret,
        api_base_url=base,
        request_timeout=30,
    )


def mastodon_login(user: User, scopes=SCOPES) -> Mastodon:
    """A Mastodon.py client signed in as `user` with the password grant."""
    client = mastodon_app(user, scopes)
    client.log_in(user.email, user.password, scopes=scopes, allow_http=True)
    return client


def eventually(check, what: str, limit: float = WAIT_LIMIT_SECONDS):
    """Calls `check` until it returns something truthy, and returns that; fails
    naming `what` if that does not happen within `limit` seconds."""
    deadline = time.monotonic() + limit
    pause = 0.05
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {limit:.0f} s for {what}")
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


def fresh_tag(stem: str) -> str:
    """A hashtag no other test of this run uses."""
    return f"{stem}{next(_tags)}"


def ids(statuses) -> list[str]:
    """The ids of `statuses`, as strings, in order."""
    return [str(s.id) for s in statuses]


def run_client(what: str, command: list[str], env: dict, stdin: str | None = None) -> str:
    """Runs a client's command and returns its standard output; fails on a non-zero
    exit, showing everything it printed."""
    result = subprocess.run(
        command, cwd=HERE, env=env, input=stdin, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, (
        f"{what} exited {result.returncode}\n"
        f"stdout: {result.stdout}\nstderr: {result.stderr}"
    )
    return result.stdout


class Toot:
    """The `toot` command line with a configuration directory of its own, so that
    each test signs in afresh."""

    def __init__(self, config_dir: Path):
        self.config_dir = config_dir
        self.command = str(Path(sys.executable).with_name("toot"))

    def run(self, *args: str, stdin: str | None = None) -> str:
        """Runs `toot ARGS` and returns its standard output; fails on a non-zero
        exit, showing what toot printed."""
        env = dict(os.environ, XDG_CONFIG_HOME=str(self.config_dir), NO_COLOR="1")
        return run_client(f"toot {' '.join(args)}", [self.command, *args], env, stdin)

    def json(self, *args: str):
        """Runs `toot ARGS --json` and parses what it prints."""
        return json.loads(self.run(*args, "--json"))

    def login(self, user: User) -> None:
        """`toot login_cli`, typing the password at its prompt."""
        out = self.run(
            "login_cli", "-i", user.instance.base_url, "-e", user.email,
            stdin=user.password + "\n",
        )
        assert "Successfully logged in" in out, out


def node_check(library: str, mode: str, user: User, **extra: str) -> dict:
    """Runs `LIBRARY/check.mjs MODE` for `user` under Node.js, with the
    `LIBRARY_CHECK_*` variables it reads (`extra` ones too, named in lower
    case), and returns the JSON object it prints last."""
    node = os.environ.get("CLIENTS_NODE", "node")
    prefix = f"{library.upper()}_CHECK_"
    env = dict(
        os.environ,
        **{
            f"{prefix}URL": user.instance.base_url,
            f"{prefix}LOGIN": user.email,
            f"{prefix}PASSWORD": user.password,
        },
        **{f"{prefix}{name.upper()}": value for name, value in extra.items()},
    )
    out = run_client(
        f"{library} check {mode}", [node, str(HERE / library / "check.mjs"), mode], env
    )
    return json.loads(out.strip().splitlines()[-1])


def masto(mode: str, user: User) -> dict:
    """Runs `masto/check.mjs MODE` for `user` and returns what it found."""
    return node_check("masto", mode, user)


def megalodon(mode: str, user: User, **extra: str) -> dict:
    """Runs `megalodon/check.mjs MODE` for `user` and returns what it found."""
    return node_check("megalodon", mode, user, **extra)
