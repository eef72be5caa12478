"""POST /api/v1/receipts/<provider>[/<token>]: providers' delivery reports move messages on.

Authenticated by STATUSMAP_RECEIPT_TOKEN, in the last path segment (for providers that only
take a URL) or in the X-Statusmap-Receipt-Token header (or `Authorization: Bearer`). Without a
matching token, with an unknown provider, or with receipts not configured, the answer is 404,
the same as for a path that does not exist. No CSRF token: no cookie or session is read.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import abort
from flask import current_app
from flask import request

from statusmap import db
from statusmap.api.blueprint import bp
from statusmap.extensions import csrf
from statusmap.models.base import utcnow
from statusmap.notify.receipt_shapes import READERS
from statusmap.notify.receipt_shapes import MalformedReceipt
from statusmap.notify.receipt_shapes import read_receipts
from statusmap.notify.receipts import apply_receipt

TOKEN_HEADER = "X-Statusmap-Receipt-Token"


def _presented_token(in_path: str | None) -> str:
    if in_path is not None:
        return in_path
    bearer = request.headers.get("Authorization", "")
    if bearer.lower().startswith("bearer "):
        return bearer[7:].strip()
    return request.headers.get(TOKEN_HEADER, "")


def _authorised(provider: str, in_path: str | None) -> bool:
    expected = str(current_app.config.get("RECEIPT_TOKEN") or "")
    presented = _presented_token(in_path)
    return (
        bool(expected and presented)
        and provider in READERS
        and (hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8")))
    )


@bp.post("/receipts/<provider>")
@bp.post("/receipts/<provider>/<token>")
@csrf.exempt
def take_receipts(provider: str, token: str | None = None) -> tuple[dict[str, Any], int]:
    """Apply each report in the body to its message; 200 with what became of them."""
    if not _authorised(provider, token):
        abort(404)
    try:
        receipts = read_receipts(provider, request.get_json(silent=True))
    except MalformedReceipt as exc:
        return {"error": "receipt_invalid", "message": str(exc)}, 400
    session, now = db.session(), utcnow()
    outcomes = [apply_receipt(session, provider, receipt, now=now) for receipt in receipts]
    session.commit()
    counts = {name: outcomes.count(name) for name in ("delivered", "failed", "unchanged")}
    return {"received": len(outcomes), **counts, "unknown": outcomes.count("unknown")}, 200
