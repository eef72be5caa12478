"""`statusmap worker`: deliver the notification outbox (loop, or drain with --until-idle)."""

from __future__ import annotations

import logging
import signal
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from statusmap import db
from statusmap.notify.channels.registry import build_channels
from statusmap.notify.channels.registry import close_channels
from statusmap.notify.delivery_settings import DeliveryConfigError
from statusmap.notify.delivery_settings import worker_settings
from statusmap.notify.worker import Worker

GAVE_UP = 3  # the exit status of --until-idle when messages were still open at --max-wait


@click.command("worker")
@click.option(
    "--until-idle",
    is_flag=True,
    help="Send everything that is due (and what waits for a retry), then exit.",
)
@click.option(
    "--max-wait",
    type=float,
    default=300.0,
    show_default=True,
    help="With --until-idle: seconds to wait for retries and other workers' sends before "
    f"giving up (exit status {GAVE_UP}).",
)
@with_appcontext
def worker_command(until_idle: bool, max_wait: float) -> None:
    """Deliver queued notifications. SIGTERM finishes the sends in flight and exits."""
    config = current_app.config
    base_url = str(config.get("PUBLIC_BASE_URL") or "")
    if not base_url:
        raise click.ClickException(
            "STATUSMAP_PUBLIC_BASE_URL is not set: links in messages must start with the"
            " site's public address (https://vann.kommune.no)."
        )
    try:
        settings = worker_settings(config)
        channels = build_channels(config, connections=settings.concurrency)
    except DeliveryConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request is noise
    engine = db.get_db().engine
    assert engine is not None
    worker = Worker(engine, channels, settings, base_url)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: worker.stop())
    click.echo(f"Worker {worker.name}: {settings.concurrency} sends at a time.", err=True)
    try:
        finished = worker.run(until_idle=until_idle, max_wait_s=max_wait)
    finally:
        close_channels(channels)
    done = ", ".join(f"{what} {n}" for what, n in sorted(worker.tally.counts.items()))
    click.echo(f"Worker {worker.name} stopped: {done or 'nothing to do'}.", err=True)
    if not finished:
        sys.exit(GAVE_UP)
