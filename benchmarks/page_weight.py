"""Benchmark: what a resident's phone downloads for the public page, measured in Chromium.

Serves the demo (SQLite) with the street layer and no tile source, loads /demo/ in Debian's
Chromium, and records every response: the first (the HTML, which holds the whole text list) and
everything the map needs before any tile. Sizes are given as sent and gzip-compressed (level 6, as
a reverse proxy would; statusmap itself does not compress yet). Run from the repository root:

    .venv/bin/python -m benchmarks.page_weight --write
"""

from __future__ import annotations

import argparse
import gzip
import tempfile
from pathlib import Path
from urllib.parse import urlparse

from benchmarks.spatial_queries import write_section
from tests.browser.conftest import CHROMIUM
from tests.browser.conftest import CHROMIUM_FLAGS
from tests.browser.conftest import serve
from tests.conftest import prepare_database


def measure(base: str) -> list[tuple[str, int, int]]:
    """(path, bytes sent, bytes gzipped) of every response the page loads, in order."""
    from playwright.sync_api import sync_playwright

    rows: list[tuple[str, int, int]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(f"{base}/demo/")
        page.wait_for_selector(".map-frame[data-streets-drawn]")
        for response in responses:
            body = response.body()
            rows.append((urlparse(response.url).path, len(body), len(gzip.compress(body, 6))))
        browser.close()
    return rows


def report(rows: list[tuple[str, int, int]]) -> str:
    lines = ["| response | bytes | gzip bytes |", "| --- | ---: | ---: |"]
    lines += [f"| `{path}` | {raw:,} | {packed:,} |" for path, raw, packed in rows]
    first = rows[0]
    before_tiles = [r for r in rows if not r[0].startswith("/tiles/")]
    total_raw = sum(r[1] for r in before_tiles)
    total_gz = sum(r[2] for r in before_tiles)
    lines += [
        "",
        f"First response (the page, text list included): {first[2] / 1000:.1f} KB gzipped "
        f"({first[1] / 1000:.1f} KB as sent); target under 50 KB.",
        f"Map page with its base layer, before tiles: {total_gz / 1000:.1f} KB gzipped "
        f"({total_raw / 1000:.1f} KB as sent) in {len(before_tiles)} responses; "
        "target under 300 KB.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'weight.sqlite3'}"
        prepare_database(url)
        with serve(url, TILE_LAYERS=[]) as base:
            text = report(measure(base))
    print(text)
    if args.write:
        command = ".venv/bin/python -m benchmarks.page_weight --write"
        write_section("## Public page weight in the browser", text, command)


if __name__ == "__main__":
    main()
