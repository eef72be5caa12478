"""Production start-up: gunicorn, as the Procfile runs it, refuses a generated secret key."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from statusmap import ROOT
from tests.integration import gunicorn_ready

APP = "statusmap:create_app()"


def _environment(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATUSMAP_")}
    # This checkout's code, whichever checkout the virtualenv was installed from.
    env["PYTHONPATH"] = str(ROOT)
    env["STATUSMAP_DATABASE_URL"] = database_url
    return {**env, **extra}


def _gunicorn(log: Path, env: dict[str, str], workers: int = 1) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "--workers", str(workers)]
    command += ["--no-control-socket", "--config", f"python:{gunicorn_ready.__name__}", APP]
    with log.open("wb") as output:
        # A session of its own, so that stopping it stops its workers too.
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop gunicorn and its workers: gracefully, then by force."""
    for sent in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sent)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=30)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def _serving(log: Path, env: dict[str, str], workers: int = 1) -> Iterator[str]:
    """Start gunicorn on a free port; yield its address once every worker has loaded the app;
    stop it."""
    server = _gunicorn(log, env, workers)
    try:
        deadline = time.monotonic() + 60
        while (
            not (found := re.search(r"Listening at: (http://\S+)", text := log.read_text()))
            or text.count(gunicorn_ready.READY) < workers
        ):
            assert server.poll() is None, text
            assert time.monotonic() < deadline, text
            time.sleep(0.1)
        yield found.group(1)
    finally:
        _stop(server)


@pytest.fixture
def no_instance_key() -> None:
    """instance/config.py may set SECRET_KEY, which would make the refusal untestable here."""
    config = ROOT / "instance" / "config.py"
    if config.exists() and "SECRET_KEY" in config.read_text():
        pytest.skip(f"{config} sets SECRET_KEY")


@pytest.mark.usefixtures("no_instance_key")
def test_gunicorn_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    log = tmp_path / "gunicorn.log"
    server = _gunicorn(log, _environment(f"sqlite:///{tmp_path / 'db.sqlite3'}"))
    try:
        code = server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"gunicorn started without a secret key:\n{log.read_text()}")
    finally:
        _stop(server)
    output = log.read_text()
    assert code != 0, output
    assert "STATUSMAP_SECRET_KEY is not set" in output
    assert "token_urlsafe" in output, "the message says how to make a key"


def test_gunicorn_serves_with_a_configured_key(tmp_path: Path, sqlite_database: str) -> None:
    env = _environment(sqlite_database, STATUSMAP_SECRET_KEY="the same on every host")
    with (
        _serving(tmp_path / "gunicorn.log", env) as address,
        urllib.request.urlopen(f"{address}/demo/", timeout=30) as response,
    ):
        assert response.status == 200
        assert "Demo kommune" in response.read().decode()
    assert "STATUSMAP_SECRET_KEY" not in (tmp_path / "gunicorn.log").read_text()
