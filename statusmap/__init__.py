"""statusmap: outage map and public status page for Norwegian water and wastewater utilities."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any

if TYPE_CHECKING:  # Flask is imported by create_app only, so domain modules load without it.
    from flask import Flask

    from statusmap.db import Database

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: config -> extensions -> blueprints -> CLI."""
    from flask import Flask

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from statusmap.config import load_config

    load_config(app, test_config)

    from statusmap.db import init_db
    from statusmap.extensions import babel
    from statusmap.i18n import select_locale

    database = init_db(app)  # its engine's factory also has public writes move the stamp
    babel.init_app(app, locale_selector=select_locale)
    _start_scheduler(app, database)

    _register_web(app)
    _put_prepared_front(app)
    from statusmap.cli import register_commands

    register_commands(app)
    return app


def _register_web(app: Flask) -> None:
    """Web hooks, the tile proxy, logins and CSRF, and the blueprints with their prefixes."""
    from statusmap import prepared
    from statusmap import web
    from statusmap.api.routes import bp as api_bp
    from statusmap.auth import access
    from statusmap.auth.views import bp as auth_bp
    from statusmap.extensions import compress
    from statusmap.open311.routes import bp as open311_bp
    from statusmap.public.routes import bp as public_bp
    from statusmap.staff import bp as staff_bp
    from statusmap.tiles import views as tiles

    # Compression goes first: Flask runs after_request hooks last-registered first, so it sees the
    # finished answer (ETag and 304 decided on the plain bytes by web's hooks).
    app.config.setdefault("COMPRESS_CACHE_BACKEND", prepared.CompressedCopies)
    app.config.setdefault("COMPRESS_CACHE_KEY", prepared.compress_cache_key)
    compress.init_app(app)
    web.init_app(app)
    prepared.init_app(app)
    tiles.init_app(app)
    access.init_app(app)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(staff_bp, url_prefix="/staff")
    app.register_blueprint(public_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(open311_bp, url_prefix="/open311/v2")


def _put_prepared_front(app: Flask) -> None:
    """Outermost: kept public answers go out before Flask (or a proxy fix) sees the request."""
    from statusmap.i18n import LANGUAGE_COOKIE
    from statusmap.prepared_front import PreparedFront

    app.wsgi_app = PreparedFront(  # type: ignore[method-assign]
        app.wsgi_app,
        app.extensions["prepared_stamps"],
        language_cookie=LANGUAGE_COOKIE,
        stamp_ttl_s=app.config["PUBLIC_STAMP_TTL_S"],
        entries=4 * int(app.config["PUBLIC_CACHE_ENTRIES"]),
    )


def _start_scheduler(app: Flask, database: Database) -> None:
    """When configured, a thread that activates and resolves incidents on time (per worker)."""
    if not app.config["SCHEDULER_INTERVAL_S"]:
        return
    from statusmap.incidents.background import BackgroundScheduler

    assert database.engine is not None
    scheduler = BackgroundScheduler(database.engine, app.config["SCHEDULER_INTERVAL_S"])
    app.extensions["statusmap_scheduler"] = scheduler.start()
