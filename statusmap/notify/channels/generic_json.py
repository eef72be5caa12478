"""The generic JSON gateway: one documented POST per message, safe to repeat.

    POST <STATUSMAP_SMS_URL>            Authorization: Bearer <STATUSMAP_SMS_TOKEN>
    {"id": "<idempotency key>", "to": "+4791234567", "from": "Vann og avløp", "text": "..."}

The gateway answers 2xx {"id": "<the same id>", "ref": "<its own reference, optional>"} when it
takes the message, and 409 {"error": "duplicate", "id": "<the same id>"} when it already took
that id (then nothing is sent again, and the message counts as accepted). 429 (with Retry-After)
and 5xx mean nothing went out: try again (a 429 is asked again here after a short pause, see
pacing.py, before the worker takes over). Any other 4xx: it never will. A timeout after the
request went out may have been accepted: the worker tries again with the same id, which the
gateway drops. The same shape serves voice (the text is the script) at STATUSMAP_VOICE_URL.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from statusmap.notify.channels.base import Accepted
from statusmap.notify.channels.base import Outgoing
from statusmap.notify.channels.base import PermanentError
from statusmap.notify.channels.base import TransientError
from statusmap.notify.channels.base import UncertainError
from statusmap.notify.channels.pacing import RateGate

# Failures before the request was written: nothing can have gone out.
_BEFORE_SENDING = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class RateLimited(TransientError):
    """The gateway refused for now (429); `retry_after` seconds, when it said so.

    The worker waits that long and does not count the attempt: nothing went out.
    """

    def __init__(self, text: str, retry_after: float | None) -> None:
        super().__init__(text)
        self.retry_after = retry_after


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(float(response.headers.get("Retry-After", "")), 0.0)
    except ValueError:
        return None


def _answer_id(response: httpx.Response) -> tuple[str | None, str | None]:
    """The id the gateway named and its own reference, if its answer was JSON that said so."""
    try:
        data: Any = response.json()
    except ValueError:
        return None, None
    if not isinstance(data, dict):
        return None, None
    ref = data.get("ref")
    return (str(data["id"]) if "id" in data else None), (str(ref)[:100] if ref else None)


class GenericJsonChannel:
    """An SMS or voice gateway speaking the generic JSON shape above."""

    idempotent = True

    def __init__(
        self, name: str, url: str, token: str, timeout_s: float, connections: int = 16
    ) -> None:
        self.name = name
        self.url = url
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = httpx.Client(timeout=timeout_s, limits=limits, headers=headers)
        self._gate = RateGate()
        self.rate_wait_s = max(5.0, timeout_s)  # 429s retried here this long, then the worker's

    def close(self) -> None:
        self._client.close()

    def send(self, message: Outgoing) -> Accepted:
        payload = {
            "id": message.idempotency_key,
            "to": message.recipient,
            "from": message.sender,
            "text": message.body,
        }
        deadline = time.monotonic() + self.rate_wait_s
        while True:  # a 429 sent nothing: wait at the gate and ask again, for a while
            self._gate.wait()
            response = self._post(payload)
            if response.status_code != 429:
                self._gate.passed()
                break
            self._gate.refused(_retry_after(response))
            if time.monotonic() > deadline:
                break
        return self._outcome(response, message.idempotency_key)

    def _post(self, payload: dict[str, str]) -> httpx.Response:
        try:
            return self._client.post(self.url, json=payload)
        except _BEFORE_SENDING as exc:
            what = type(exc).__name__
            raise TransientError(f"{self.name} gateway unreachable ({what})") from exc
        except httpx.TransportError as exc:  # timeouts and drops after the request went out
            what = type(exc).__name__
            raise UncertainError(f"{self.name} gateway gave no answer ({what})") from exc

    def _outcome(self, response: httpx.Response, key: str) -> Accepted:
        status = response.status_code
        answered, ref = _answer_id(response)
        if 200 <= status < 300:
            return Accepted(provider_ref=ref or answered or key)
        if status == 409 and answered == key:
            return Accepted(provider_ref=ref or key)  # it had this id already: not sent again
        if status == 429:
            raise RateLimited(f"{self.name} gateway: HTTP 429", _retry_after(response))
        if status >= 500:
            raise TransientError(f"{self.name} gateway: HTTP {status}")
        raise PermanentError(f"{self.name} gateway refused the message: HTTP {status}")


def from_config(config: Any, kind: str, connections: int) -> GenericJsonChannel:
    """The channel for `kind` (sms or voice) from <KIND>_URL, _TOKEN and _TIMEOUT_S."""
    prefix = kind.upper()
    return GenericJsonChannel(
        kind,
        str(config[f"{prefix}_URL"]),
        str(config.get(f"{prefix}_TOKEN") or ""),
        float(config[f"{prefix}_TIMEOUT_S"]),
        connections,
    )
