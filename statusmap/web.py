"""Cross-cutting web concerns: template helpers, language cookie, security headers, error pages."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any
from typing import TypeVar
from urllib.parse import urlencode

from flask import Flask
from flask import Response
from flask import current_app
from flask import g
from flask import render_template
from flask import request
from flask import url_for
from flask.sessions import SecureCookieSessionInterface
from flask.sessions import SessionMixin
from flask_babel import format_number
from markupsafe import Markup
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from statusmap.i18n import LANGUAGE_COOKIE
from statusmap.i18n import LANGUAGE_NAMES
from statusmap.i18n import current_language
from statusmap.i18n import format_time
from statusmap.i18n import language_vary
from statusmap.i18n import machine_time


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, without "Vary: Cookie" where there is no session at all.

    Flask-Login looks into the session after every request, and Flask then marks every answer as
    varying by cookie, so shared caches would keep a copy per visitor of public pages and tiles.
    An empty, unchanged session means the visitor sent none: the answer is everyone's.
    """

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not session and not session.modified:
            return
        super().save_session(app, session, response)
        if "Set-Cookie" in response.headers:  # set after the after_request hooks have run
            response.headers["Cache-Control"] = "no-store"


def init_app(app: Flask) -> None:
    """Register template helpers, response hooks and error handlers; trust proxies if told."""
    app.session_interface = _SessionInterface()
    offered = {code: LANGUAGE_NAMES[code] for code in app.config["LANGUAGES"]}
    app.jinja_env.globals.update(
        current_language=current_language,
        language_names=offered,
        format_time=format_time,
        format_number=format_number,
        vendor_url=vendor_url,
        csp_nonce=csp_nonce,
        url_with_args=url_with_args,
        incident_url=incident_url,
    )
    app.jinja_env.filters["nonced"] = nonced
    app.jinja_env.filters["machine_time"] = machine_time
    # Flask runs after_request hooks last-registered first: _headers must see the cookie.
    app.before_request(_plain_validators)
    app.after_request(_headers)
    app.after_request(_remember_language)
    app.register_error_handler(HTTPException, _http_error)
    proxies = int(app.config["PROXY_COUNT"])
    if proxies:
        # Client address and scheme only: X-Forwarded-Host/-Prefix pass through common proxy
        # set-ups unfiltered, so trusting them would let a client rewrite our links.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies
        )


def vendor_url(path: str) -> str:
    """URL of a self-hosted third-party asset under static/vendor/."""
    return url_for("static", filename=f"vendor/{path}")


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL for links that leave the site (feeds, API): PUBLIC_BASE_URL when set.

    Without it the URL is built from the request, whose Host header a client chooses.
    """
    base = current_app.config["PUBLIC_BASE_URL"]
    if not base:
        return url_for(endpoint, _external=True, **values)
    # The base URL already says where the site lives, so the request's own mount point
    # (SCRIPT_NAME) is taken off the path rather than trusted.
    path = url_for(endpoint, **values).removeprefix(request.script_root)
    return str(base).rstrip("/") + path


def incident_url(slug: str, incident_id: int, *, external: bool = False) -> str:
    """The one link to an incident's public page, for pages, feeds and the API alike; absolute
    (PUBLIC_BASE_URL when set) for links that leave the site."""
    return (external_url if external else url_for)(
        "public.incident_page", slug=slug, incident_id=incident_id
    )


def csp_nonce() -> str:
    """The per-request nonce that lets our own inline scripts and styles run under the CSP."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


_INLINE_TAG = re.compile(r"<(script|style)(?=[\s>])(?![^>]*\bsrc=)")


def nonced(html: Markup) -> Markup:
    """Give every inline <script> and <style> in trusted markup (folium's output) the nonce."""
    return Markup(_INLINE_TAG.sub(rf'<\1 nonce="{csp_nonce()}"', str(html)))


def url_with_args(**changes: str | int | None) -> str:
    """A link to this page with some query arguments set, or dropped (None): the language
    switcher and page links keep the page's other arguments (a search, a page).

    Relative ("?lang=nn&gate=..."), so a page never repeats the path it was asked for: an error
    page is the same whatever path was tried."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key not in changes]
    args += [(key, str(value)) for key, value in changes.items() if value is not None]
    query = urlencode(args)
    return f"?{query}" if query else f"{request.script_root}{request.path}"


View = TypeVar("View", bound=Callable[..., Any])


def frameable(view: View) -> View:
    """Mark a view (under its route decorator) whose pages other sites may frame: its CSP names
    EMBED_FRAME_ANCESTORS, it has no X-Frame-Options, and it never sets the language cookie.

    Read from the route, not from the answer, so it holds however the answer was prepared."""
    view.frameable = True  # type: ignore[attr-defined]
    return view


def _is_frameable() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "frameable", False))


def _remember_language(response: Response) -> Response:
    if _is_frameable():
        return response  # a third-party frame: a cookie would follow the reader across sites
    if (response.mimetype or "").startswith("image/"):
        # A picture's ?lang= (a link preview's, fetched by a crawler) chooses its words, not the
        # visitor's language: a cookie would make it uncacheable (no-store).
        return response
    chosen = request.args.get("lang")
    offered = current_app.config["LANGUAGES"]
    if chosen and chosen in offered and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure,
            httponly=True,
        )
    return response


def content_security_policy() -> str:
    """This page's policy: our own origin only, our inline scripts and styles by the nonce, and
    framing by this site only (or by EMBED_FRAME_ANCESTORS on frameable pages)."""
    if _is_frameable():
        return _content_security_policy(current_app.config["EMBED_FRAME_ANCESTORS"])
    return _content_security_policy()


def _content_security_policy(frame_ancestors: str = "'self'") -> str:
    # Tiles come through our own proxy (/tiles/...), so images need no other host either.
    nonce = f"'nonce-{csp_nonce()}'"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {nonce}",
            f"style-src 'self' {nonce}",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


# Flask-Compress marks the ETag of a compressed answer with its encoding ("abc:gzip"), so a
# cache's If-None-Match names that. Read as the plain bytes' validator, the 304 is decided before
# anything is compressed: in a surge of revalidations no answer is compressed only to be dropped.
_ENCODED_ETAG = re.compile(r':(?:br|gzip|zstd|deflate)"')


def _plain_validators() -> None:
    value = request.environ.get("HTTP_IF_NONE_MATCH")
    if value:
        request.environ["HTTP_IF_NONE_MATCH"] = _ENCODED_ETAG.sub('"', value)


def _conditional(response: Response) -> None:
    """A public API answer gets an ETag of its bytes, and 304 when the client has them."""
    if (
        request.path.startswith("/api/")
        and request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.is_streamed
    ):
        if "ETag" not in response.headers:
            response.add_etag()
        response.make_conditional(request)


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.vary.update(language_vary())
    _conditional(response)
    cache_control = _cache_control(response)
    if cache_control:
        headers["Cache-Control"] = cache_control
    if request.path.startswith("/api/"):
        headers.setdefault("Access-Control-Allow-Origin", "*")  # open data, no credentials
    elif response.mimetype == "text/html":
        if not _is_frameable():
            headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        if "Content-Security-Policy" not in headers:  # a kept page brings its own (hashes)
            headers["Content-Security-Policy"] = content_security_policy()
    return response


def _cache_control(response: Response) -> str | None:
    """What shared caches may do with this response; None leaves the view's choice alone."""
    if "Set-Cookie" in response.headers or response.status_code >= 400:
        # A cookie belongs to one visitor; an error (a 404 included) should not outlive its cause.
        return "no-store"
    if "Cache-Control" in response.headers or not request.path.startswith("/api/"):
        return None  # the view said how long its answer keeps (streets, tiles), or a page
    if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
        # Fresh for a few seconds, and a shared cache may hand out the old copy a while longer
        # while it fetches the new one: a surge of readers meets the cache, not the app.
        config = current_app.config
        return (
            f"public, max-age={config['PUBLIC_MAX_AGE_S']}, "
            f"stale-while-revalidate={config['PUBLIC_STALE_S']}"
        )
    return "no-store"


def _http_error(error: HTTPException) -> tuple[str | dict[str, object], int]:
    code = error.code or 500
    wants_json = request.accept_mimetypes.best == "application/json" or request.is_json
    if request.path.startswith("/api/") or wants_json:
        return {"error": error.name, "message": error.description}, code
    return render_template("error.html", error=error), code
