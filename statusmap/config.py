"""Configuration: defaults < instance/config.py < STATUSMAP_* environment < test_config."""

from __future__ import annotations

import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from limits import parse_many

from statusmap.notify.channel_settings import CHANNEL_DEFAULTS
from statusmap.notify.channel_settings import ChannelConfigError
from statusmap.notify.channel_settings import check_channel_settings
from statusmap.notify.delivery_settings import DELIVERY_DEFAULTS
from statusmap.notify.delivery_settings import DeliveryConfigError
from statusmap.notify.delivery_settings import check_delivery_settings
from statusmap.reports.settings import REPORT_DEFAULTS
from statusmap.reports.settings import ReportConfigError
from statusmap.reports.settings import check_report_settings
from statusmap.tiles.settings import TILE_DEFAULTS
from statusmap.tiles.settings import TileConfigError
from statusmap.tiles.settings import tile_settings

SUPPORTED_LANGUAGES = ("nb", "nn", "en")
# Times are shown in Norwegian time named CET/CEST (i18n.format_time); no other zone is offered.
TIME_ZONE = "Europe/Oslo"

DEFAULTS: dict[str, Any] = {
    # Empty means: SQLite file in the instance folder (see resolve_database_url).
    "DATABASE_URL": "",
    "SECRET_KEY": None,
    "BABEL_DEFAULT_LOCALE": "nb",
    "BABEL_DEFAULT_TIMEZONE": TIME_ZONE,
    "LANGUAGES": list(SUPPORTED_LANGUAGES),
    # Largest incoming geometry we accept, in vertices and in bytes of GeoJSON.
    "MAX_GEOMETRY_VERTICES": 20_000,
    "MAX_GEOMETRY_BYTES": 2_000_000,
    # Largest area file (GeoJSON, GeoPackage, zipped Shapefile) staff may upload, and the largest
    # request of any kind (Flask answers 413 beyond it before reading it).
    "MAX_UPLOAD_BYTES": 10_000_000,
    "MAX_CONTENT_LENGTH": 32_000_000,
    # How far outside its boundary a municipality's features may lie (metres).
    "BOUNDARY_TOLERANCE_M": 2_000,
    "RECENTLY_RESOLVED_DAYS": 60,
    # Open311 GET answers (report data, which does not move the change stamp) may be kept by
    # clients and shared caches this many seconds; OPEN311_CONTACT is discovery's contact line.
    "OPEN311_MAX_AGE_S": 30,
    "OPEN311_CONTACT": "",
    # CAP message identifiers are "<prefix>.<incident id>.<version>". Set it to the sender's OID
    # as MET Norway does (e.g. "2.49.0.0.578.x"); empty: "statusmap.<host of the public URL>".
    "CAP_IDENTIFIER_PREFIX": "",
    # Absolute links in feeds and the API start with this (https://vann.kommune.no) when set;
    # otherwise they follow the request's Host header, which any client can choose.
    "PUBLIC_BASE_URL": "",
    # Who may frame the embed page /embed/<slug> (CSP frame-ancestors sources, space-separated):
    # any site by default. Every other page may be framed by this site only.
    "EMBED_FRAME_ANCESTORS": "*",
    # How many reverse proxies in front may set X-Forwarded-* (0: trust none).
    "PROXY_COUNT": 0,
    # Staff login sessions: the cookie is sent to this site only and never read by scripts.
    # SESSION_COOKIE_SECURE: None means automatic (Secure when served by gunicorn, i.e. in
    # production behind HTTPS); set it to false only for a plain-http test installation.
    "SESSION_COOKIE_SECURE": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "statusmap_session",
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,  # one long on-call shift
    # A form opened at the start of a shift must still save at its end: the CSRF token lives as
    # long as the login session, not Flask-WTF's default hour.
    "WTF_CSRF_TIME_LIMIT": None,
    # Failed logins allowed per e-mail address and per IP address within the window (minutes).
    "LOGIN_FAILURES_PER_EMAIL": 5,
    "LOGIN_FAILURES_PER_IP": 30,
    "LOGIN_FAILURE_WINDOW_MIN": 15,
    # Seconds between the in-process scheduler's ticks (incidents/background.py); 0: off.
    # Unset: 60 under gunicorn, off elsewhere (tests, the development server, CLI commands).
    "SCHEDULER_INTERVAL_S": None,
    # Public reads are prepared once per change of the municipality's public data
    # (statusmap/prepared.py). Each worker reads the change stamp at most once per
    # PUBLIC_STAMP_TTL_S (unset: 1 s under gunicorn, 0 elsewhere, i.e. on every request), keeps at
    # most PUBLIC_CACHE_ENTRIES answers per page kind, each for at most PUBLIC_CACHE_MAX_AGE_S.
    "PUBLIC_STAMP_TTL_S": None,
    "PUBLIC_CACHE_ENTRIES": 256,
    "PUBLIC_CACHE_MAX_AGE_S": 60,
    # Browsers and shared caches keep a public answer PUBLIC_MAX_AGE_S, and may hand out the old
    # copy PUBLIC_STALE_S longer while they fetch a new one.
    "PUBLIC_MAX_AGE_S": 10,
    "PUBLIC_STALE_S": 30,
    # Open pages ask whether anything changed this often (seconds); the answer is kept
    # CHANGES_MAX_AGE_S by browsers and caches.
    "LIVE_POLL_INTERVAL_S": 15,
    "CHANGES_MAX_AGE_S": 3,
    # Text answers compressed (Flask-Compress) for clients that accept it; images are not.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/plain",
        "text/xml",
        "text/javascript",
        "text/csv",
        "application/javascript",
        "application/json",
        "application/geo+json",
        "application/xml",
        "application/atom+xml",
        "application/cap+xml",
        "text/calendar",
        "image/svg+xml",
    ],  # fmt: skip
    # Crowd reports (Flask-Limiter): per client address (as ProxyFix sees it) over the form and
    # the API together, and per municipality. memory+swept:// counts per worker (N gunicorn
    # workers allow N times as much) without a timer thread (rate_storage.py); a
    # redis://host:6379 URI shares the counts between workers and hosts.
    "RATELIMIT_STORAGE_URI": "memory+swept://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "REPORT_LIMIT_PER_CLIENT": "5/minute;30/day",
    "REPORT_LIMIT_PER_AREA": "120/minute",
    # Sign-ups for warnings and their codes, per client (public/subscribe_views.py).
    "SUBSCRIBE_LIMIT_PER_CLIENT": "5/minute;20/day",
    "CONFIRM_LIMIT_PER_CLIENT": "10/minute;60/day",
    # Base-map tiles through our own proxy (/tiles/...): statusmap/tiles/settings.py.
    **TILE_DEFAULTS,
    # Crowd reports: the public layer's generalisation, contact retention (reports/settings.py).
    **REPORT_DEFAULTS,
    # Notification delivery: the worker and which channel does what (notify/delivery_settings.py),
    # and the providers' own settings and receipts (notify/channel_settings.py).
    **DELIVERY_DEFAULTS,
    **CHANNEL_DEFAULTS,
}


class ConfigError(RuntimeError):
    """Raised at start-up when the configuration cannot work."""


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config in the documented order and validate it."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile(str(Path(app.instance_path) / "config.py"), silent=True)
    app.config.from_prefixed_env("STATUSMAP")
    if test_config:
        app.config.from_mapping(test_config)
    app.config["DATABASE_URL"] = resolve_database_url(app)
    if not app.config.get("SECRET_KEY"):
        _refuse_a_host_key_in_production(app.config)
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = "gunicorn" in sys.modules and not app.testing
    served = "gunicorn" in sys.modules and not app.config.get("TESTING")
    if app.config["SCHEDULER_INTERVAL_S"] is None:
        app.config["SCHEDULER_INTERVAL_S"] = 60 if served else 0
    if app.config["PUBLIC_STAMP_TTL_S"] is None:
        app.config["PUBLIC_STAMP_TTL_S"] = 1.0 if served else 0
    validate_config(app.config)
    _check_subscribe_limits(app.config)


def resolve_database_url(app: Flask) -> str:
    """Return the configured database URL, defaulting to SQLite in the instance folder."""
    url = str(app.config.get("DATABASE_URL") or "")
    if url.startswith("postgres://"):  # the form Heroku-style platforms hand out
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{Path(app.instance_path) / 'statusmap.sqlite3'}"
    return url


def validate_config(config: Any) -> None:
    """Refuse to start with settings that cannot work; say which setting and why."""
    url = config["DATABASE_URL"]
    if not (url.startswith("sqlite:") or url.startswith("postgresql+psycopg:")):
        raise ConfigError(
            f"STATUSMAP_DATABASE_URL must be sqlite:///... or postgresql://..., got {url!r}"
        )
    # Each area checks its own settings and says which one is wrong.
    checks: tuple[tuple[Callable[[Any], object], type[Exception]], ...] = (
        (tile_settings, TileConfigError),
        (check_report_settings, ReportConfigError),
        (check_delivery_settings, DeliveryConfigError),
        (check_channel_settings, ChannelConfigError),
    )
    for check, refusal in checks:
        try:
            check(config)
        except refusal as exc:
            raise ConfigError(str(exc)) from exc
    proxies = config["PROXY_COUNT"]
    if isinstance(proxies, bool) or not isinstance(proxies, int) or proxies < 0:
        raise ConfigError(f"STATUSMAP_PROXY_COUNT must be a whole number >= 0, got {proxies!r}")
    interval = config["SCHEDULER_INTERVAL_S"]
    if isinstance(interval, bool) or not isinstance(interval, int | float) or interval < 0:
        raise ConfigError(
            f"STATUSMAP_SCHEDULER_INTERVAL_S must be a number of seconds >= 0 (0: off), got"
            f" {interval!r}"
        )
    base = config["PUBLIC_BASE_URL"]
    if base and not (base.startswith(("https://", "http://")) and "?" not in base):
        raise ConfigError("STATUSMAP_PUBLIC_BASE_URL must be an http(s) URL without a query")
    prefix = str(config["CAP_IDENTIFIER_PREFIX"])
    if any(c in prefix for c in " ,<&"):
        raise ConfigError("STATUSMAP_CAP_IDENTIFIER_PREFIX may not hold spaces, commas, < or &")
    _check_frame_ancestors(config["EMBED_FRAME_ANCESTORS"])
    _check_languages(config)


def _check_languages(config: Any) -> None:
    """Offered languages from the supported ones; times in Norwegian time only."""
    unknown = set(config["LANGUAGES"]) - set(SUPPORTED_LANGUAGES)
    if unknown or config["BABEL_DEFAULT_LOCALE"] not in config["LANGUAGES"]:
        raise ConfigError(f"STATUSMAP_LANGUAGES must be drawn from {SUPPORTED_LANGUAGES}")
    zone = config["BABEL_DEFAULT_TIMEZONE"]
    if zone != TIME_ZONE:
        raise ConfigError(
            f"STATUSMAP_BABEL_DEFAULT_TIMEZONE must be {TIME_ZONE} (times are shown in Norwegian"
            f" time and named CET/CEST), got {zone!r}"
        )


def _check_subscribe_limits(config: Any) -> None:
    """The sign-up and code limits must be Flask-Limiter limit strings."""
    for name in ("SUBSCRIBE_LIMIT_PER_CLIENT", "CONFIRM_LIMIT_PER_CLIENT"):
        try:
            parse_many(str(config[name]))
        except ValueError as exc:
            raise ConfigError(f"STATUSMAP_{name} must be limits like 5/minute;20/day") from exc


def _check_frame_ancestors(ancestors: object) -> None:
    """One CSP directive's sources: nothing that could end the directive or the header."""
    if (
        not isinstance(ancestors, str)
        or not ancestors.strip()
        or any(c in ancestors for c in ";,\r\n")
    ):
        raise ConfigError(
            "STATUSMAP_EMBED_FRAME_ANCESTORS must be CSP frame-ancestors sources separated by"
            f" spaces (* or 'self' https://example.no ...), got {ancestors!r}"
        )


def _refuse_a_host_key_in_production(config: Any) -> None:
    """Under gunicorn, refuse the per-host generated key: hosts behind a balancer must agree."""
    if "gunicorn" not in sys.modules or config.get("TESTING"):
        return
    raise ConfigError(
        "STATUSMAP_SECRET_KEY is not set. Served by gunicorn, every host behind the load"
        " balancer must sign sessions with the same key, and the key generated into"
        " instance/secret_key differs from host to host. Set STATUSMAP_SECRET_KEY (or"
        " SECRET_KEY in instance/config.py) to the same long random value everywhere,"
        " e.g. the output of python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
    )


def _instance_secret(instance: Path) -> str:
    """Read or create a random secret key kept in the instance folder."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    try:
        # O_EXCL: when several workers start at once, exactly one writes and all read the same key.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    for _ in range(50):  # another worker may be between creating and writing the file
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.05)
    raise ConfigError(f"{path} is empty; delete it or set STATUSMAP_SECRET_KEY")
