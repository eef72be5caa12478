"""README "Set up your municipality": its commands, run as written, give Kristiansand its page.

They run in a directory laid out like a clean clone after ./scripts/demo: `.venv/bin/statusmap`
runs this checkout's code, and `tests/data` is this checkout's, on an empty database of each
backend (a temporary SQLite file; a throwaway PostGIS database).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from statusmap import ROOT
from tests.conftest import new_postgis_database

SECTION = "## Set up your municipality"
COMMAND = ".venv/bin/statusmap"


def readme_commands() -> list[str]:
    """The commands of the section's first sh block, continuation lines joined."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"\n{SECTION}\n", 1)[1].split("\n## ", 1)[0]
    found = re.search(r"```sh\n(.*?)```", section, re.S)
    assert found, f"no sh code block in the README's {SECTION!r}"
    lines = found.group(1).replace("\\\n", " ").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def test_the_section_is_the_one_this_test_knows() -> None:
    steps = [shlex.split(command)[1] for command in readme_commands()]
    assert steps == ["db", "municipality", "import-addresses", "create-user", "run"]


@pytest.fixture(params=["sqlite", "postgis"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no schema) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'statusmap.sqlite3'}"
        return
    with new_postgis_database(request.getfixturevalue("postgis_server")) as url:
        yield url


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A clone's layout: .venv/bin/statusmap (this checkout's code) and tests/data."""
    root = tmp_path / "clone"
    (root / ".venv" / "bin").mkdir(parents=True)
    statusmap = root / COMMAND
    statusmap.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -c "from statusmap.cli import main; main()" "$@"\n'
    )
    statusmap.chmod(0o755)
    (root / "tests").mkdir()
    (root / "tests" / "data").symlink_to(ROOT / "tests" / "data")
    return root


def _environment(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STATUSMAP_", "FLASK_"))}
    env["PYTHONPATH"] = str(ROOT)  # this checkout's code, whichever the venv was installed from
    env["STATUSMAP_DATABASE_URL"] = database_url
    env["STATUSMAP_SECRET_KEY"] = "readme-test"  # nothing written into the instance folder
    env["FLASK_RUN_PORT"] = "0"  # `statusmap run` as written, on a free port
    return env


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _log_in(base: str, email: str, password: str) -> str:
    """Log in through the login form as a browser does (cookies, CSRF token); the staff page."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(base + "/auth/login", timeout=30) as response:
        form = response.read().decode("utf-8")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    assert token, "no CSRF token on the login page"
    fields = {"csrf_token": token.group(1), "email": email, "password": password}
    with opener.open(
        base + "/auth/login", urllib.parse.urlencode(fields).encode(), timeout=30
    ) as response:  # follows the redirect to the staff pages
        assert response.geturl().endswith("/staff/kristiansand/"), response.geturl()
        return str(response.read().decode("utf-8"))


def _serve_and_get(
    argv: list[str], cwd: Path, env: dict[str, str], path: str, login: tuple[str, str]
) -> tuple[str, str]:
    """Start the server as written, read its address from what it prints, GET path and log in."""
    server = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    watchdog = threading.Timer(120, server.kill)  # a server that never says where it listens
    watchdog.start()
    try:
        assert server.stderr is not None
        said = []
        for line in server.stderr:  # ends when the server exits
            said.append(line)
            if found := re.search(r"Running on (http://[\d.:]+)", line):
                with urllib.request.urlopen(found.group(1) + path, timeout=30) as response:
                    assert response.status == 200
                    page = str(response.read().decode("utf-8"))
                return page, _log_in(found.group(1), *login)
        raise AssertionError(f"{shlex.join(argv)} did not start: {''.join(said)}")
    finally:
        watchdog.cancel()
        server.terminate()
        server.wait(timeout=30)
        if server.stderr is not None:
            server.stderr.close()


def test_the_readme_sets_up_kristiansand(
    empty_database: str, checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = _environment(empty_database)
    page = staff = None
    login = ("", "")
    for command in readme_commands():
        argv = shlex.split(command)
        assert argv[0] == COMMAND, f"the section's commands all start {COMMAND}: {command}"
        if argv[1] == "run":
            page, staff = _serve_and_get(argv, checkout, env, "/kristiansand/", login)
            continue
        result = _run(argv, checkout, env)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        if argv[1] == "municipality":
            assert "Created Kristiansand (kommunenummer 4204)." in result.stdout
        if argv[1] == "import-addresses":
            assert "Imported: 47 (47 new, 0 updated)" in result.stdout
        if argv[1] == "create-user":
            printed = re.search(r"Password \(shown only now[^)]*\): (\S+)", result.stdout)
            assert printed, result.stdout
            login = (argv[2], printed.group(1))
    assert page is not None, "the section ends by serving the page"
    assert '<p class="site-name">Kristiansand</p>' in page
    assert "vann@kristiansand.example" in page
    assert staff is not None and "Hendelser i Kristiansand" in staff  # the editor's login works
