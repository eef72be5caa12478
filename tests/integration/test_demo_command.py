"""README's first command, end to end: `statusmap demo` serves the demo at the URL it prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

STATUSMAP = Path(sys.executable).with_name("statusmap")


def _log_in_with_the_printed_editor(base: str, printed: str) -> None:
    """The demo's printed editor login opens the staff dashboard, through the real form."""
    found = re.search(r"Staff login \(editor\): (\S+)  password: (\S+)", printed)
    assert found, printed
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    form = opener.open(base + "/auth/login", timeout=30).read().decode("utf-8")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    assert token
    fields = {"csrf_token": token.group(1), "email": found.group(1), "password": found.group(2)}
    answer = opener.open(base + "/auth/login", urllib.parse.urlencode(fields).encode(), timeout=30)
    assert answer.geturl().endswith("/staff/demo/")
    assert "Hendelser i Demo kommune" in answer.read().decode("utf-8")


def test_demo_serves_the_page_at_the_printed_url(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "STATUSMAP_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "STATUSMAP_SECRET_KEY": "demo-test",
    }
    process = subprocess.Popen(
        [str(STATUSMAP), "demo", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url, printed = None, []
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            printed.append(line)
            match = re.search(r"running at (http://127\.0\.0\.1:\d+/demo/)", line)
            url = match.group(1) if match else None
        assert url, "".join(printed)
        assert any("3409 addresses, 4 incidents" in line for line in printed), printed
        html = urllib.request.urlopen(url, timeout=30).read().decode("utf-8")
        assert 'class="folium-map"' in html
        assert html.count('<article class="incident') == 4
        assert "Kokepålegg nord for Møllegata og Elvegata" in html
        _log_in_with_the_printed_editor(url.removesuffix("/demo/"), "".join(printed))
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()  # type: ignore[union-attr]
