"""Benchmark: what a resident's phone downloads for the public page, measured in Chromium.

Serves the demo (SQLite) with the street layer and no tile source, loads the public page and an
incident's page in Debian's Chromium, and records every response: the first (the HTML, which holds
the whole text list) and everything the map needs before any tile. Sizes are the body as the
browser received it over the wire (statusmap compresses text with brotli or gzip) and as it is
once decoded. Run from the repository root:

    .venv/bin/python -m benchmarks.page_weight --write
"""

from __future__ import annotations

import argparse
import json
import tempfile
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from benchmarks.spatial_queries import write_section
from tests.browser.conftest import CHROMIUM
from tests.browser.conftest import CHROMIUM_FLAGS
from tests.browser.conftest import serve
from tests.conftest import prepare_database


def measure(base: str, path: str = "/demo/", browser: Any = None) -> list[tuple[str, int, int]]:
    """(path, bytes on the wire, bytes decoded) of every response the page loads, in order; in
    the given Playwright browser, or in a Chromium of its own."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            own = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                return measure(base, path, own)
            finally:
                own.close()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nb-NO")
    page = context.new_page()
    finished: list[Any] = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(f"{base}{path}")
    page.wait_for_selector(".map-frame[data-streets-drawn]")
    page.wait_for_load_state("networkidle")
    rows = []
    for request in finished:
        response = request.response()
        if response is not None:
            wire = request.sizes()["responseBodySize"]
            rows.append((urlparse(request.url).path, wire, len(response.body())))
    context.close()
    # Requests finish in any order: the page itself is the first response a reader waits for.
    rows.sort(key=lambda row: row[0] != path)
    return rows


def totals(rows: list[tuple[str, int, int]]) -> tuple[int, int]:
    """Bytes on the wire of the first response, and of everything before any tile."""
    return rows[0][1], sum(r[1] for r in rows if not r[0].startswith("/tiles/"))


def report(title: str, rows: list[tuple[str, int, int]]) -> str:
    lines = [f"{title}:", "", "| response | bytes on the wire | bytes decoded |"]
    lines += ["| --- | ---: | ---: |"]
    lines += [f"| `{path}` | {wire:,} | {raw:,} |" for path, wire, raw in rows]
    first, total = totals(rows)
    before_tiles = [r for r in rows if not r[0].startswith("/tiles/")]
    lines += [
        "",
        f"First response (the page, text list included): {first / 1000:.1f} KB on the wire "
        f"({rows[0][2] / 1000:.1f} KB decoded); target under 50 KB.",
        f"Page with its map and base layer, before tiles: {total / 1000:.1f} KB on the wire "
        f"({sum(r[2] for r in before_tiles) / 1000:.1f} KB decoded) in {len(before_tiles)} "
        "responses; target under 300 KB.",
    ]
    return "\n".join(lines)


def _an_incident(base: str) -> str:
    """The path of the demo's first current incident's page."""
    with urllib.request.urlopen(f"{base}/api/v1/demo/incidents.geojson", timeout=30) as answer:
        feature = json.loads(answer.read())["features"][0]
    return f"/demo/hendelse/{feature['id']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'weight.sqlite3'}"
        prepare_database(url)
        with serve(url, TILE_LAYERS=[]) as base:
            incident = _an_incident(base)
            text = "\n\n".join(
                [
                    report("The public page `/demo/`", measure(base)),
                    report(f"An incident's page `{incident}`", measure(base, incident)),
                ]
            )
    print(text)
    if args.write:
        command = ".venv/bin/python -m benchmarks.page_weight --write"
        write_section("## Public page weight in the browser", text, command)


if __name__ == "__main__":
    main()
