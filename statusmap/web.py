"""Cross-cutting web concerns: template helpers, language cookie, security headers, error pages."""

from __future__ import annotations

import re
import secrets
from typing import Any

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
    """The one link to an incident's public page, for pages, feeds and the API alike.

    For now its card on the municipality page; switch here once `public.incident_page` exists.
    """
    page = (external_url if external else url_for)("public.municipality_page", slug=slug)
    return f"{page}#incident-{incident_id}"


def csp_nonce() -> str:
    """The per-request nonce that lets our own inline scripts and styles run under the CSP."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


_INLINE_TAG = re.compile(r"<(script|style)(?=[\s>])(?![^>]*\bsrc=)")


def nonced(html: Markup) -> Markup:
    """Give every inline <script> and <style> in trusted markup (folium's output) the nonce."""
    return Markup(_INLINE_TAG.sub(rf'<\1 nonce="{csp_nonce()}"', str(html)))


def _remember_language(response: Response) -> Response:
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


def _content_security_policy() -> str:
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
            "frame-ancestors 'self'",
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
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        headers.setdefault("Content-Security-Policy", _content_security_policy())
    return response


def _cache_control(response: Response) -> str | None:
    """What shared caches may do with this response; None leaves the view's choice alone."""
    if "Set-Cookie" in response.headers or response.status_code >= 400:
        # A cookie belongs to one visitor; an error (a 404 included) should not outlive its cause.
        return "no-store"
    if "Cache-Control" in response.headers or not request.path.startswith("/api/"):
        return None  # the view said how long its answer keeps (streets, tiles), or a page
    if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
        # A minute fresh, and a shared cache may hand out the old copy for 30 s more while it
        # fetches the new one: a surge of readers meets the cache, not the app.
        return "public, max-age=60, stale-while-revalidate=30"
    return "no-store"


def _http_error(error: HTTPException) -> tuple[str | dict[str, object], int]:
    code = error.code or 500
    wants_json = request.accept_mimetypes.best == "application/json" or request.is_json
    if request.path.startswith("/api/") or wants_json:
        return {"error": error.name, "message": error.description}, code
    return render_template("error.html", error=error), code
