"""The widget script as a host page loads it: small when compressed, and self-contained."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from statusmap.kinds import KIND_STYLES

WIDGET = Path(__file__).resolve().parents[2] / "static" / "js" / "widget.js"
BUDGET = 15 * 1024


def test_the_script_is_under_15_kb_compressed_through_the_app(client) -> None:
    response = client.get("/static/js/widget.js", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    body = response.get_data()
    assert gzip.decompress(body) == WIDGET.read_bytes()
    assert len(body) < BUDGET, f"{len(body)} bytes compressed"


def test_the_script_asks_no_other_host_and_evaluates_no_strings() -> None:
    source = WIDGET.read_text()
    urls = re.findall(r"https?://[^\s\"')]+", source)
    # Only the SVG namespace (a name, never fetched) and the documented example.
    assert set(urls) <= {"http://www.w3.org/2000/svg", "https://HOST/static/js/widget.js"}
    for forbidden in ("eval(", "new Function", "innerHTML", "outerHTML", "document.write"):
        assert forbidden not in source, forbidden
    assert 'attachShadow({ mode: "open" })' in source


def test_the_script_draws_each_kind_as_the_public_map_does() -> None:
    source = WIDGET.read_text()
    for kind, style in KIND_STYLES.items():
        assert f'{kind.value}: ["{style.colour}", "{style.dash}"]' in source, kind
