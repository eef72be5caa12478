"""Unbound extension objects, bound by create_app. The database is per app (see db.py)."""

from collections.abc import Callable
from typing import Any
from typing import TypeVar

from flask import Response
from flask import current_app
from flask import request
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from statusmap import rate_storage  # noqa: F401  (registers the memory+swept:// scheme)


class TextCompress(Compress):
    """Flask-Compress for text only; images and tiles keep their single, unvaried copy.

    Flask-Compress adds "Vary: Accept-Encoding" to every answer, including the ones it never
    compresses, which would make shared caches keep a copy of each tile per encoding asked for.
    """

    def after_request(self, response: Response | None) -> Response:
        if response is not None and (
            response.mimetype not in self.compress_mimetypes_set or response.status_code == 206
        ):
            return response  # not text, or a byte range of a file: sent as it is
        if response is not None and response.direct_passthrough and response.status_code == 200:
            # A static file: read it whole and close it here (Flask-Compress would read it and
            # leave the file open).
            data = b"".join(response.response)  # type: ignore[arg-type]
            response.close()
            response.set_data(data)
            response.direct_passthrough = False
        return super().after_request(response)


babel = Babel()
compress = TextCompress()
login_manager = LoginManager()
csrf = CSRFProtect()
# Keyed by request.remote_addr, which web.py's ProxyFix sets from X-Forwarded-For when
# PROXY_COUNT proxies are trusted. Storage and headers come from RATELIMIT_* settings.
limiter = Limiter(key_func=get_remote_address)

View = TypeVar("View", bound=Callable[..., Any])


def _area() -> str:
    """The municipality a report is for: its slug in the path, or Open311's jurisdiction_id."""
    slug = (request.view_args or {}).get("slug") or request.values.get("jurisdiction_id", "")
    return str(slug)


def _stored(response: Response) -> bool:
    """Only a report taken counts against the limits: a refused one (a typo, a missing field)
    stored nothing, and a resident correcting the form must not be locked out for it."""
    return response.status_code < 400


def _names_api_key() -> bool:
    """An Open311 client naming an api_key: a trusted client relays many residents from one
    address, and a wrong key is refused (403) before anything is stored."""
    return bool(request.form.get("api_key", "").strip())


def limited_reports(view: View) -> View:
    """A report-taking view: POSTs limited per client (all report routes together) and per
    municipality, as REPORT_LIMIT_PER_CLIENT and REPORT_LIMIT_PER_AREA say; over them, 429.
    Only reports taken are counted (_stored); a trusted Open311 client has only the area's."""
    per_area = limiter.shared_limit(
        lambda: str(current_app.config["REPORT_LIMIT_PER_AREA"]),
        scope="report-area",
        key_func=_area,
        methods=["POST"],
        deduct_when=_stored,
    )
    per_client = limiter.shared_limit(
        lambda: str(current_app.config["REPORT_LIMIT_PER_CLIENT"]),
        scope="report-client",
        methods=["POST"],
        deduct_when=_stored,
        exempt_when=_names_api_key,
    )
    return per_client(per_area(view))  # type: ignore[return-value]


def address_lookup() -> bool:
    """A sign-up form's "Søk" (a typed address to find), which sends nothing."""
    return request.form.get("action") == "find" and bool(request.form.get("adresse", "").strip())


def limited_signups(view: View) -> View:
    """The sign-up form: its sending POSTs (not the address look-ups) limited per client."""
    return limiter.limit(  # type: ignore[return-value]
        lambda: str(current_app.config["SUBSCRIBE_LIMIT_PER_CLIENT"]),
        scope="subscribe-client",
        methods=["POST"],
        exempt_when=address_lookup,
    )(view)


def limited_confirms(view: View) -> View:
    """Code attempts: POSTs limited per client, on top of each sign-up's own attempt limit."""
    return limiter.shared_limit(  # type: ignore[return-value]
        lambda: str(current_app.config["CONFIRM_LIMIT_PER_CLIENT"]),
        scope="confirm-client",
        methods=["POST"],
    )(view)
