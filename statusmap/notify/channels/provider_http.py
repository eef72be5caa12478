"""One JSON POST to a provider, and what its failure means for the message.

The mapping every HTTP channel shares (base.py explains the three errors):

- the connection could not be made (refused, DNS, connect timeout, no free connection):
  nothing went out → TransientError;
- the request was sent but no answer came (read timeout, the connection dropped, a write that
  broke off): it may have gone out → UncertainError;
- 429, 5xx, 408, and 401/403 (our credentials, not the message, are wrong; fixing them must not
  lose the warnings) → TransientError;
- any other 4xx → PermanentError.

Errors name the provider and the HTTP status only: provider texts may repeat the number.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from statusmap.notify.channels.base import PermanentError
from statusmap.notify.channels.base import TransientError
from statusmap.notify.channels.base import UncertainError

TRANSIENT_STATUSES = {401, 403, 408, 425, 429}
# Sockets are reused across messages and threads (httpx.Client is thread-safe); enough for a
# worker's threads with room to spare.
LIMITS = httpx.Limits(max_connections=64, max_keepalive_connections=32)


def client(timeout: httpx.Timeout, **options: Any) -> httpx.Client:
    """A pooled client for one provider."""
    return httpx.Client(timeout=timeout, limits=LIMITS, follow_redirects=False, **options)


def json_bytes(payload: object) -> bytes:
    """A JSON body in UTF-8 with its letters as they are (æøå, not \\u00e6)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def post(
    http: httpx.Client,
    provider: str,
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    duplicate_ok: bool = False,
) -> httpx.Response:
    """POST the body; return a 2xx answer (or a 409 when the provider says "I had it already"
    and `duplicate_ok`), else raise the error that the failure means."""
    headers = {"Content-Type": "application/json; charset=utf-8", **headers}
    try:
        response = http.post(url, content=body, headers=headers)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise TransientError(f"{provider}: could not connect ({type(exc).__name__})") from exc
    except (httpx.ReadTimeout, httpx.WriteTimeout) as exc:
        raise UncertainError(f"{provider}: no answer in time after sending") from exc
    except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
        raise UncertainError(f"{provider}: connection lost after sending") from exc
    except httpx.TransportError as exc:
        raise TransientError(f"{provider}: {type(exc).__name__}") from exc
    status = response.status_code
    if 200 <= status < 300 or (status == 409 and duplicate_ok):
        return response
    if status >= 500 or status in TRANSIENT_STATUSES:
        raise TransientError(f"{provider}: HTTP {status}")
    raise PermanentError(f"{provider}: HTTP {status}")


def answer_field(response: httpx.Response, *names: str) -> str | None:
    """The first of the named fields in a JSON object answer, as text; None if absent."""
    try:
        data = response.json()
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    for name in names:
        value = data.get(name)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
            return str(value)[:100]
    return None
