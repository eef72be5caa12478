"""Processes of the surge benchmark: each started in a session of its own and stopped with all its
children (gunicorn's workers, nginx's) however the run ends; gunicorn as the Procfile runs it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from statusmap import ROOT

# The Procfile's web process: gunicorn, 2 sync workers (WEB_CONCURRENCY's default), access log.
GUNICORN_WORKERS = 2
STARTUP_SECONDS = 60


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on loopback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process and its whole session: gracefully, then by force."""
    for sent in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sent)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=15)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def started(
    command: list[str], log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a command in a session of its own, output to log; stop it and its children at the end."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=output,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        stop(process)


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until something accepts connections on the port; fail with the log if the process ends."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} ended ({process.returncode}):\n{_tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on {port}:\n{_tail(log)}") from None
            time.sleep(0.1)


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"


def app_environment(database_url: str, **extra: str) -> dict[str, str]:
    """This checkout's code on the given database, with no other STATUSMAP_* setting inherited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATUSMAP_")}
    env["PYTHONPATH"] = str(ROOT)
    env["STATUSMAP_DATABASE_URL"] = database_url
    env["STATUSMAP_SECRET_KEY"] = "public-surge-benchmark-only"
    return {**env, **extra}


@contextmanager
def gunicorn(app: str, log: Path, env: dict[str, str]) -> Iterator[str]:
    """gunicorn serving app (a "module:factory()" spec) on a free loopback port; its host:port."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(GUNICORN_WORKERS), "--access-logfile", "-"]
    command += ["--no-control-socket", app]
    with started(command, log, env) as process:
        wait_for_port(port, process, log)
        yield f"127.0.0.1:{port}"


def raise_nofile_limit(wanted: int) -> int:
    """Raise this process's open-file limit towards wanted (up to the hard limit); the new limit."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft
