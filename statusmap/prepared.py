"""Public reads prepared once per change: the bytes of an answer are kept until the
municipality's public data changes (statusmap/changes.py), so a surge of readers costs little
more than handing out bytes.

A request for a prepared view reads the municipality's change stamp (at most once per
PUBLIC_STAMP_TTL_S in each worker) and answers from the kept copy when its serial is current; the
copy also carries its ETag (so revalidations get a 304), its Content-Security-Policy (inline
scripts allowed by their hashes, since a kept page cannot carry a fresh nonce) and the compressed
variants Flask-Compress made of it.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import time
from base64 import b64encode
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from typing import TypeVar

from flask import Flask
from flask import Response
from flask import current_app
from flask import g
from flask import make_response
from flask import request

from statusmap import db
from statusmap.changes import BUMPED
from statusmap.changes import ChangeStamp
from statusmap.changes import stamp_by_slug
from statusmap.i18n import current_language
from statusmap.prepared_front import MARK
from statusmap.web import content_security_policy

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class Prepared:
    """One kept answer: for the serial it was built on, until `expires` (monotonic seconds)."""

    serial: int
    expires: float
    body: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str


class _Kept:
    """A small LRU map, safe across a worker's threads."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class CompressedCopies(_Kept):
    """Flask-Compress's cache backend: compressed bytes of prepared answers, by ETag.

    Its key is "<algorithm>;<ETag>"; answers that are not prepared have no ETag here (key
    "<algorithm>;") and are compressed afresh each time.
    """

    def __init__(self) -> None:
        super().__init__(limit=1024)

    def get(self, key: Any) -> bytes | None:
        return None if str(key).endswith(";") else super().get(key)

    def set(self, key: Any, value: Any) -> None:
        if not str(key).endswith(";"):
            super().set(key, value)


def compress_cache_key(_request: Any) -> str:
    """Flask-Compress asks which kept copy an answer is: its ETag when it is prepared."""
    return str(g.get("prepared_etag", ""))


def init_app(app: Flask) -> None:
    """Keep prepared answers and the compressed copies of them with the app (per worker)."""
    app.extensions["prepared"] = _Kept(limit=int(app.config["PUBLIC_CACHE_ENTRIES"]))
    app.extensions["prepared_stamps"] = {}
    app.after_request(_forget_after_writes)


def _forget_after_writes(response: Response) -> Response:
    # Only a request that moved a stamp: a resident's report changes no public answer, and a
    # burst of them should not make every next request read the stamp again.
    if request.method not in ("GET", "HEAD", "OPTIONS") and db.session().info.get(BUMPED):
        forget_stamps()
    return response


def public_stamp(slug: str) -> tuple[int, ChangeStamp] | None:
    """The municipality's id and change stamp, read at most once per PUBLIC_STAMP_TTL_S here."""
    ttl = float(current_app.config["PUBLIC_STAMP_TTL_S"])
    memo: dict[str, tuple[float, tuple[int, ChangeStamp] | None]] = current_app.extensions[
        "prepared_stamps"
    ]
    now = time.monotonic()
    known = memo.get(slug)
    if ttl > 0 and known is not None and known[0] > now:
        return known[1]
    found = stamp_by_slug(db.session(), slug)
    if ttl > 0 and found is not None:  # unknown slugs are not kept: any string could be one
        memo[slug] = (now + ttl, found)
    return found


def forget_stamps() -> None:
    """After this worker wrote a change, its next read looks at the database again."""
    current_app.extensions["prepared_stamps"].clear()


def prepared(*, vary_args: tuple[str, ...] = ()) -> Callable[[View], View]:
    """Decorate a public GET view that takes `slug`: its answer depends only on the URL's view
    arguments, the language, the query arguments named in vary_args and the municipality's
    public data (incidents, updates, addresses, streets, settings)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def answer(**view_args: Any) -> Any:
            found = public_stamp(view_args["slug"])
            if found is None:
                return view(**view_args)  # the view says 404 in its own words
            stamp = found[1]
            key = _key(view_args, vary_args)
            kept: _Kept = current_app.extensions["prepared"]
            entry: Prepared | None = kept.get(key)
            if entry is None or entry.serial != stamp.serial or entry.expires < time.monotonic():
                response = make_response(view(**view_args))
                if response.status_code != 200 or response.is_streamed:
                    return response
                entry = _prepare(response, stamp.serial)
                kept.set(key, entry)
            return _send(entry)

        return answer  # type: ignore[return-value]

    return decorate


def _key(view_args: dict[str, Any], vary_args: tuple[str, ...]) -> tuple[Any, ...]:
    # Absolute links in an answer follow the request's host unless PUBLIC_BASE_URL is set.
    host = "" if current_app.config["PUBLIC_BASE_URL"] else request.host_url
    return (
        request.endpoint,
        tuple(sorted(view_args.items())),
        current_language(),
        tuple(request.args.get(name) for name in vary_args),
        host,
        request.script_root,
    )


def _prepare(response: Response, serial: int) -> Prepared:
    body = response.get_data()
    headers = response.headers
    if response.mimetype == "text/html" and "csp_nonce" in g:
        body, policy = _hashed_inline(body, headers.get("Content-Security-Policy"))
        headers["Content-Security-Policy"] = policy
    config = current_app.config
    headers.setdefault(
        "Cache-Control",
        f"public, max-age={config['PUBLIC_MAX_AGE_S']}, "
        f"stale-while-revalidate={config['PUBLIC_STALE_S']}",
    )
    kept = tuple((k, v) for k, v in headers.items() if k.lower() not in ("content-length", "vary"))
    etag = hashlib.sha1(body, usedforsecurity=False).hexdigest()
    expires = time.monotonic() + float(config["PUBLIC_CACHE_MAX_AGE_S"])
    return Prepared(serial, expires, body, kept, etag)


def _send(entry: Prepared) -> Response:
    response = current_app.response_class(entry.body, status=200, headers=list(entry.headers))
    response.set_etag(entry.etag)
    g.prepared_etag = entry.etag
    mark_prepared(request.view_args["slug"] if request.view_args else "", entry.serial)
    response.make_conditional(request)
    return response


def mark_prepared(slug: str, serial: int) -> None:
    """Tell the front (prepared_front.py) that this answer follows from the stamp alone."""
    request.environ[MARK] = (slug, serial)


_INLINE = r'<(script|style)\b[^>]*?\snonce="{nonce}"[^>]*>(.*?)</\1>'


def _hashed_inline(body: bytes, policy: str | None) -> tuple[bytes, str]:
    """Allow the page's own inline scripts and styles by their SHA-256 instead of the nonce."""
    nonce = str(g.csp_nonce)
    text = body.decode()
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for match in re.finditer(_INLINE.format(nonce=re.escape(nonce)), text, re.DOTALL | re.I):
        digest = b64encode(hashlib.sha256(match.group(2).encode()).digest()).decode()
        hashes[match.group(1).lower()].append(f"'sha256-{digest}'")
    text = text.replace(f' nonce="{nonce}"', "")
    policy = policy or content_security_policy()
    token = f"'nonce-{nonce}'"
    directives = []
    for directive in policy.split(";"):
        name = directive.strip().split(" ", 1)[0]
        kind = name.removesuffix("-src")
        if token in directive and kind in hashes:
            directive = directive.replace(token, " ".join(dict.fromkeys(hashes[kind])))
        directives.append(directive.strip())
    return text.encode(), "; ".join(d for d in directives if d)
