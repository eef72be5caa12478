"""Each provider's delivery report, read into a `Receipt` (a JSON object, or a list of them).

- target365 (their DLR forward): transactionId (our key), statusCode Ok | Failed | Queued |
  Sent | Reversed, detailedStatusCode (Delivered, Undelivered, UnknownSubscriber, ...).
- link_mobility: id (their messageId), refId (our key), resultCode (1001 delivered; 1000, 1008,
  1011, 1012 on the way; any other code is a failure: 1002 expired, 1006 not delivered, ...).
- generic_json: {"id": our key, "status": "delivered" | "failed" | other, "error": "<code>"}.
- voice: {"id", "status": "completed" | "failed" | "busy" | "no-answer" | ..., "error"}.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from statusmap.notify.receipts import Outcome
from statusmap.notify.receipts import Receipt

MAX_RECEIPTS = 1000
LINK_DELIVERED = {1001, 1007}
LINK_PENDING = {1000, 1008, 1011, 1012}
CALL_DELIVERED = {"completed", "answered", "delivered"}
CALL_FAILED = {"failed", "busy", "no-answer", "no_answer", "canceled", "cancelled", "rejected"}


class MalformedReceipt(ValueError):
    """A body that is not a report in the provider's shape."""


def _text(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name)
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value) == "":
        return None
    return str(value)[:100]


def _code(value: str | None) -> str:
    """A provider's code, kept short and to letters, digits and a few marks."""
    return "".join(c for c in (value or "") if c.isalnum() or c in "-_. ")[:60]


def target365(item: dict[str, Any]) -> Receipt:
    transaction = _text(item, "transactionId")
    status, detail = _text(item, "statusCode"), _text(item, "detailedStatusCode")
    if transaction is None or status is None:
        raise MalformedReceipt("a Target365 report has transactionId and statusCode")
    if status == "Ok" and item.get("delivered") is not False:
        outcome = Outcome.DELIVERED
    elif status == "Failed":
        outcome = Outcome.FAILED
    else:
        outcome = Outcome.PENDING
    return Receipt(transaction, transaction, outcome, _code(detail or status))


def link_mobility(item: dict[str, Any]) -> Receipt:
    code = _text(item, "resultCode")
    if code is None or not code.isdigit() or not (_text(item, "id") or _text(item, "refId")):
        raise MalformedReceipt("a LINK Mobility report has id or refId, and resultCode")
    number = int(code)
    if number in LINK_DELIVERED:
        outcome = Outcome.DELIVERED
    elif number in LINK_PENDING:
        outcome = Outcome.PENDING
    else:
        outcome = Outcome.FAILED
    return Receipt(_text(item, "id"), _text(item, "refId"), outcome, code)


def generic_json(item: dict[str, Any]) -> Receipt:
    ident, status = _text(item, "id"), _text(item, "status")
    if ident is None or status is None:
        raise MalformedReceipt('a report has "id" and "status"')
    outcome = {"delivered": Outcome.DELIVERED, "failed": Outcome.FAILED}.get(
        status.lower(), Outcome.PENDING
    )
    return Receipt(ident, ident, outcome, _code(_text(item, "error") or status))


def voice(item: dict[str, Any]) -> Receipt:
    ident, status = _text(item, "id"), _text(item, "status")
    if ident is None or status is None:
        raise MalformedReceipt('a call status has "id" and "status"')
    status = status.lower()
    if status in CALL_DELIVERED:
        outcome = Outcome.DELIVERED
    elif status in CALL_FAILED:
        outcome = Outcome.FAILED
    else:
        outcome = Outcome.PENDING
    return Receipt(ident, ident, outcome, _code(_text(item, "error") or status))


READERS: dict[str, Callable[[dict[str, Any]], Receipt]] = {
    "target365": target365,
    "link_mobility": link_mobility,
    "generic_json": generic_json,
    "voice": voice,
}


def read_receipts(provider: str, body: object) -> list[Receipt]:
    """The receipts in one callback body; MalformedReceipt if it is not in the shape."""
    items = body if isinstance(body, list) else [body]
    if not items or len(items) > MAX_RECEIPTS:
        raise MalformedReceipt(f"a body holds 1 to {MAX_RECEIPTS} reports")
    reports = [item for item in items if isinstance(item, dict)]
    if len(reports) != len(items):
        raise MalformedReceipt("each report is a JSON object")
    return [READERS[provider](report) for report in reports]
