"""The OpenAPI 3 document of /api/v1, kept as data (openapi.json beside this module)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Response

from statusmap.api.blueprint import bp

DOCUMENT = Path(__file__).with_name("openapi.json")


@cache
def openapi_bytes() -> bytes:
    """The document as it is on disk, read once per process."""
    return DOCUMENT.read_bytes()


@bp.get("/openapi.json")
def openapi() -> Response:
    """Describe every /api/v1 route: parameters, answers, and their schemas."""
    return Response(openapi_bytes(), mimetype="application/json")
