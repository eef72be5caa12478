"""A fake upstream tile server on a local port, for the tile proxy's tests (no network needed).

Paths are /<layer>/<z>/<y>/<x>.png (row before column, as Kartverket's cache). Layers:
'hang' never answers (for 30 s), 'broken' answers 500, 'missing' 404, 'html' a web page,
'short' a PNG cut off before its Content-Length, 'garbage' no HTTP at all, 'redirect' a 302 to
another host; every other layer gets a small PNG.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

# A 1x1 grey PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGO4BwAAwgDBdNbvXAAAAABJRU5ErkJggg=="
)


@dataclass
class FakeTiles:
    """The running server: its URL template and what it was asked."""

    template: str
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, user agent)
    hang_seconds: float = 30.0


@contextmanager
def fake_tile_server() -> Iterator[FakeTiles]:
    """Serve fake tiles on 127.0.0.1 (a free port) for the duration of the block."""
    state = FakeTiles(template="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            state.requests.append((self.path, self.headers.get("User-Agent", "")))
            layer = self.path.strip("/").split("/", 1)[0]
            if layer == "hang":
                time.sleep(state.hang_seconds)
                return
            if layer == "garbage":
                self.wfile.write(b"SURPRISE\r\n\r\n")
                return
            if layer in ("short", "redirect"):
                self.send_response(200 if layer == "short" else 302)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PNG)))
                self.send_header("Location", "http://169.254.169.254/latest/meta-data")
                self.end_headers()
                self.wfile.write(PNG[:5] if layer == "short" else b"")
                self.close_connection = True
                return
            status, kind, body = {
                "broken": (500, "text/plain", b"oops"),
                "missing": (404, "text/plain", b"no tile"),
                "html": (200, "text/html", b"<html>login</html>"),
            }.get(layer, (200, "image/png", PNG))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.template = f"http://127.0.0.1:{server.server_port}/{{layer}}/{{z}}/{{y}}/{{x}}.png"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def tile_at(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The x, y of the Web Mercator tile holding a point."""
    import math

    n = 2**z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y
