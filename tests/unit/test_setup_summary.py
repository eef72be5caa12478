"""The run's last lines count the tests skipped for want of PostGIS or Chromium (setup_summary).

Each test runs pytest in a subprocess on a tiny test directory that uses the suite's own fixtures,
with PostGIS pointed at a closed port and Chromium at a path that does not exist.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLOSED = "postgresql+psycopg://postgres@127.0.0.1:1/postgres"
NO_CHROMIUM = "/nonexistent/chromium"

TESTS = """
import pytest

@pytest.mark.parametrize("n", range(3))
def test_needs_postgis(postgis_server, n):
    pass

@pytest.mark.parametrize("n", range(2))
def test_needs_chromium(browser, n):
    pass

def test_skips_for_its_own_reason():
    pytest.skip("not on Tuesdays")

def test_plain():
    pass
"""


def run_pytest(folder: Path, tests: str, **env: str) -> subprocess.CompletedProcess[str]:
    """pytest on a folder holding `tests` and a conftest that loads the suite's fixtures."""
    (folder / "conftest.py").write_text(
        'pytest_plugins = ["tests.conftest", "tests.browser.conftest"]\n', encoding="utf-8"
    )
    (folder / "test_tiny.py").write_text(tests, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("STATUSMAP_", "CI"))}
    environment = {
        **clean,
        "PYTHONPATH": str(ROOT),
        "PY_COLORS": "0",
        "STATUSMAP_CHROMIUM": NO_CHROMIUM,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-ra", "-p", "no:cacheprovider", "--postgis-url", CLOSED],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_last_lines_count_missing_setup_and_name_the_command(tmp_path: Path) -> None:
    report = tmp_path / "setup-report.txt"
    run = run_pytest(tmp_path, TESTS, STATUSMAP_SETUP_REPORT=str(report))
    assert run.returncode == 0, run.stdout + run.stderr
    *_, skipped, command, totals = run.stdout.strip().splitlines()
    # The test's own skip is a skip, but not one that provisioning would run.
    assert "1 passed, 6 skipped" in totals
    assert skipped == (
        f"5 tests were skipped: PostGIS not reachable at {CLOSED} (3), "
        f"Chromium not found at {NO_CHROMIUM} (2)."
    )
    assert command == "To run them as CI does: sudo scripts/provision && ./scripts/test"
    # scripts/test reads the same lines from this file to decide whether to offer provisioning.
    assert report.read_text(encoding="utf-8").splitlines() == [skipped, command]


def test_nothing_extra_without_missing_setup(tmp_path: Path) -> None:
    report = tmp_path / "setup-report.txt"
    tests = "import pytest\n\ndef test_a():\n    pass\n\ndef test_b():\n    pytest.skip('no')\n"
    run = run_pytest(tmp_path, tests, STATUSMAP_SETUP_REPORT=str(report))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed, 1 skipped" in run.stdout.strip().splitlines()[-1]
    assert "provision" not in run.stdout
    assert not report.exists()


def test_required_setup_fails_instead_and_is_not_counted(tmp_path: Path) -> None:
    run = run_pytest(tmp_path, TESTS, STATUSMAP_REQUIRE_POSTGIS="1", STATUSMAP_REQUIRE_BROWSER="1")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 passed, 1 skipped, 5 errors" in run.stdout.strip().splitlines()[-1]
    assert "required by --require-postgis / STATUSMAP_REQUIRE_POSTGIS" in run.stdout
    assert "required by --require-browser / STATUSMAP_REQUIRE_BROWSER" in run.stdout
    assert "provision" not in run.stdout
