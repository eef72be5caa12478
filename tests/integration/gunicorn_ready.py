"""A gunicorn configuration for tests and benchmarks: each worker says when it has loaded the app.

gunicorn prints "Listening at" before its workers have imported the app (about 4 s here), so a
test that starts sending then may measure or check fewer workers than it asked for.
"""

from __future__ import annotations

from typing import Any

READY = "statusmap worker ready"


def post_worker_init(worker: Any) -> None:
    """gunicorn's hook, called in the worker once the app is loaded."""
    worker.log.info("%s: %s", READY, worker.pid)
