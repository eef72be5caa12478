"""A foreign website for the widget tests: another origin (its own port), hostile CSS, strict CSP.

It serves a few fixed pages that embed our widget script or our /embed/ page, the way a
municipality's own website or a newspaper would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

# What careless or hostile site CSS looks like: it must not reach into the widget.
HOSTILE_CSS = """
* { font-size: 40px !important; color: red !important; font-family: serif !important; }
li { display: inline; margin: 3em; }
h2, h3 { text-transform: uppercase; letter-spacing: 1em; border: 5px solid lime; }
div { padding: 30px; background: yellow; line-height: 3; }
a { text-decoration: none; }
section { display: flex; }
body { letter-spacing: 3px; word-spacing: 1em; text-transform: uppercase; font-style: italic;
       white-space: nowrap; text-align: right; visibility: visible; cursor: wait; }
"""

PLAIN_CSS = "body { margin: 8px; }"


def _page(app: str, css: str, body: str) -> str:
    return (
        '<!doctype html><html lang="nb"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>Kommunens nettsted</title><link rel="stylesheet" href="/{css}"></head>'
        f"<body><main><h1>Kommunens nettsted</h1>{body}</main></body></html>"
    )


def _host_content() -> str:
    """The host's own elements, whose look the widget must leave alone."""
    return (
        '<h2 id="host-h2">Nyheter</h2><ul id="host-list"><li>Én</li><li>To</li></ul>'
        '<p id="host-p">Tekst med <a id="host-a" href="/">en lenke</a>.</p>'
    )


def _widget(app: str, lang: str, options: str = 'data-map="true" data-compact="false"') -> str:
    return (
        f'<script src="{app}/static/js/widget.js" data-municipality="demo" data-lang="{lang}"'
        f" {options} async></script>"
    )


def pages(app: str) -> dict[str, tuple[str, str]]:
    """Path -> (content type, body) of every page the foreign site serves."""
    html = "text/html; charset=utf-8"
    routes = {"/hostile.css": ("text/css", HOSTILE_CSS), "/plain.css": ("text/css", PLAIN_CSS)}
    for lang in ("nb", "en"):
        for css in ("hostile", "plain"):
            body = _host_content() + _widget(app, lang)
            routes[f"/{css}-{lang}.html"] = (html, _page(app, f"{css}.css", body))
    routes["/hostile-bare.html"] = (html, _page(app, "hostile.css", _host_content()))
    routes["/target.html"] = (
        html,
        _page(
            app,
            "plain.css",
            '<aside id="slot"></aside><p id="after">Etter</p>'
            + _widget(app, "nb", 'data-target="slot" data-map="false" data-compact="true"'),
        ),
    )
    frames = (
        f'<iframe id="embed" src="{app}/embed/demo?lang=en" title="Driftsmeldinger"'
        ' width="400" height="600"></iframe>'
        f'<iframe id="full" src="{app}/demo/" title="Hele siden" width="400" height="300"></iframe>'
    )
    routes["/iframe.html"] = (html, _page(app, "hostile.css", frames))
    return routes


def strict_csp(app: str) -> str:
    """A host policy that names our origin where the widget needs it, and nothing inline."""
    return (
        f"default-src 'none'; script-src {app}; connect-src {app}; style-src 'self';"
        f" frame-src {app}; img-src 'self'"
    )


@contextmanager
def foreign_site(app: str) -> Iterator[str]:
    """Serve the foreign pages on 127.0.0.1 on a free port; yield its origin."""
    routes = pages(app)
    policy = strict_csp(app)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            found = routes.get(self.path.split("?")[0])
            if self.path == "/favicon.ico":
                self.send_response(204)
                self.end_headers()
                return
            if found is None:
                self.send_error(404)
                return
            content_type, body = found
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Content-Security-Policy", policy)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
