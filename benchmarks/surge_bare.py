"""The framework's ceiling for the surge benchmark: a bare Flask app answering each recorded URL
with the very bytes, content type and coding the app gave for it, as constants.

    gunicorn 'benchmarks.surge_bare:create_app()'  (STATUSMAP_SURGE_ANSWERS: the recording)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Flask
from flask import Response
from flask import abort
from flask import request

ANSWERS_ENV = "STATUSMAP_SURGE_ANSWERS"


def create_app() -> Flask:
    """An app holding every recorded answer in memory, looked up by path and query string."""
    recording = json.loads(Path(os.environ[ANSWERS_ENV]).read_text())
    answers = {
        url: (Path(item["file"]).read_bytes(), item["headers"]) for url, item in recording.items()
    }
    app = Flask(__name__)

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def constant(path: str) -> Response:
        query = request.query_string.decode()
        found = answers.get(request.path + (f"?{query}" if query else "")) or abort(404)
        body, headers = found
        return Response(body, headers=headers)

    return app
