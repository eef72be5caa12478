"""The front of prepared public reads: a WSGI layer before Flask that hands out a kept answer
when the very same request was answered from prepared bytes before and the municipality's
change stamp, read at most PUBLIC_STAMP_TTL_S ago, still has the serial it was built on.

"The very same request" is: GET or HEAD, the same path, query string and host (and forwarded
scheme and host), the same Accept-Encoding and Accept-Language headers, the same language
cookie and no other cookie. For those, Flask would have answered with the same bytes, headers
included, so the front skips routing, hooks, locale choice and compression, and answers a
matching If-None-Match with 304 itself. Everything else (a staff session, a write, an answer
that was not prepared, a stamp read too long ago) goes to Flask, which also refreshes the stamp.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.http import parse_cookie
from werkzeug.http import parse_etags
from werkzeug.http import unquote_etag

# What an answer may depend on, besides the municipality's public data.
KEY = (
    "PATH_INFO",
    "QUERY_STRING",
    "SCRIPT_NAME",
    "HTTP_HOST",
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PREFIX",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_ACCEPT_LANGUAGE",
)
MARK = "statusmap.prepared"  # environ: (slug, serial) of an answer made from prepared bytes
# Headers a 304 repeats (RFC 9110 section 15.4.5).
NOT_MODIFIED_HEADERS = {"etag", "cache-control", "vary", "expires", "content-location"}
StartResponse = Callable[..., Any]


@dataclass(frozen=True)
class Kept:
    """One answer as Flask sent it, for the municipality's stamp serial it was built on."""

    slug: str
    serial: int
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None


class PreparedFront:
    """Wraps the app's WSGI callable; `stamps` is the app's memo of change stamps."""

    def __init__(self, inner: Callable[..., Any], stamps: dict[str, Any], **settings: Any):
        self.inner = inner
        self.stamps = stamps
        self.cookie = settings["language_cookie"]
        self.enabled = float(settings["stamp_ttl_s"]) > 0  # else the stamp is read every time
        self.limit = int(settings["entries"])
        self.kept: OrderedDict[tuple[Any, ...], Kept] = OrderedDict()
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        key = self._key(environ)
        if key is None:
            return self.inner(environ, start_response)
        kept = self._get(key)
        if kept is not None and self._current(kept):
            return _send(kept, environ, start_response)
        return self._capture(key, environ, start_response)

    def _key(self, environ: dict[str, Any]) -> tuple[Any, ...] | None:
        if not self.enabled or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        if "HTTP_IF_MODIFIED_SINCE" in environ or "HTTP_RANGE" in environ:
            return None
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        if set(cookies) - {self.cookie}:
            return None  # a session (a member of staff) or a cookie of another site's making
        return (*(environ.get(name, "") for name in KEY), cookies.get(self.cookie, ""))

    def _current(self, kept: Kept) -> bool:
        memo = self.stamps.get(kept.slug)
        return bool(
            memo and memo[0] > time.monotonic() and memo[1] and memo[1][1].serial == kept.serial
        )

    def _get(self, key: tuple[Any, ...]) -> Kept | None:
        with self.lock:
            kept = self.kept.get(key)
            if kept is not None:
                self.kept.move_to_end(key)
            return kept

    def _capture(
        self, key: tuple[Any, ...], environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def remember(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, *args)

        answer = self.inner(environ, remember)
        mark = environ.get(MARK)
        headers = seen.get("headers", [])
        if (
            mark is None
            or environ["REQUEST_METHOD"] != "GET"
            or not str(seen.get("status", "")).startswith("200")
            or any(name.lower() == "set-cookie" for name, _ in headers)
        ):
            return answer
        try:
            body = b"".join(answer)
        finally:
            getattr(answer, "close", lambda: None)()
        etag = next((v for k, v in headers if k.lower() == "etag"), None)
        self._put(key, Kept(mark[0], mark[1], seen["status"], list(headers), body, etag))
        return [body]

    def _put(self, key: tuple[Any, ...], kept: Kept) -> None:
        with self.lock:
            self.kept[key] = kept
            self.kept.move_to_end(key)
            while len(self.kept) > self.limit:
                self.kept.popitem(last=False)


def _send(kept: Kept, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
    asked = environ.get("HTTP_IF_NONE_MATCH")
    if asked and kept.etag and parse_etags(asked).contains_weak(unquote_etag(kept.etag)[0]):
        headers = [(k, v) for k, v in kept.headers if k.lower() in NOT_MODIFIED_HEADERS]
        start_response("304 NOT MODIFIED", headers)
        return []
    start_response(kept.status, list(kept.headers))
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [kept.body]
