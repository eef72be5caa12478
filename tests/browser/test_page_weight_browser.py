"""What a resident's phone downloads, measured in Chromium on the wire: the public page's first
response under 50 KB and the whole page with its map under 300 KB, before any tile. The same
measurement as benchmarks/page_weight.py, which records the numbers in docs/benchmarks.md."""

from __future__ import annotations

import json
import urllib.request

import pytest

from benchmarks.page_weight import measure
from benchmarks.page_weight import totals

pytestmark = pytest.mark.browser


def test_the_public_page_and_an_incident_page_stay_light(browser, live_server) -> None:
    with urllib.request.urlopen(f"{live_server}/api/v1/demo/incidents.geojson") as answer:
        incident = json.loads(answer.read())["features"][0]["id"]
    for path in ("/demo/", f"/demo/hendelse/{incident}"):
        rows = measure(live_server, path, browser)
        first, whole = totals(rows)
        assert rows[0][0] == path and 0 < first < 50_000, rows[0]
        assert whole < 300_000, rows
        # Compressed on the wire: the page's text list is several times its wire size.
        assert rows[0][2] > 2 * first, rows[0]
