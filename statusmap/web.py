"""Cross-cutting web concerns: template helpers, language cookie, security headers, error pages."""

from __future__ import annotations

from flask import Flask
from flask import Response
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.exceptions import HTTPException

from statusmap.i18n import LANGUAGE_COOKIE
from statusmap.i18n import LANGUAGE_NAMES
from statusmap.i18n import current_language
from statusmap.i18n import format_time


def init_app(app: Flask) -> None:
    """Register template globals, response hooks and error handlers."""
    app.jinja_env.globals.update(
        current_language=current_language,
        language_names=LANGUAGE_NAMES,
        format_time=format_time,
        vendor_url=vendor_url,
    )
    app.after_request(_remember_language)
    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _http_error)


def vendor_url(path: str) -> str:
    """URL of a self-hosted third-party asset under static/vendor/."""
    return url_for("static", filename=f"vendor/{path}")


def _remember_language(response: Response) -> Response:
    chosen = request.args.get("lang")
    if chosen in LANGUAGE_NAMES and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=request.is_secure,
            httponly=True,
        )
    return response


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    return response


def _http_error(error: HTTPException) -> tuple[str | dict[str, object], int]:
    code = error.code or 500
    if request.path.startswith("/api/"):
        return {"error": error.name, "message": error.description}, code
    return render_template("error.html", error=error), code
