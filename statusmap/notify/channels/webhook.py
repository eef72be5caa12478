"""A signed webhook: the message's JSON body POSTed to a receiver the utility set up.

Headers (README "Notifications" shows how a receiver checks them):

    X-Statusmap-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>
    X-Statusmap-Delivery: <idempotency key>   (the same on every attempt: drop a repeat by it)

The body goes out byte for byte as signed. It goes to the message's recipient when that is an
http(s) URL, else to STATUSMAP_WEBHOOK_URL. Idempotent: the delivery id lets the receiver drop
a repeat, so a timed-out attempt is tried again with the same id.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

import httpx

from statusmap.notify import channel_settings as settings
from statusmap.notify.channels import provider_http
from statusmap.notify.channels.base import Accepted
from statusmap.notify.channels.base import Outgoing
from statusmap.notify.channels.base import PermanentError


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Statusmap-Signature value for a body sent at `timestamp`."""
    signed = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class WebhookChannel:
    """POSTs each message's JSON to a receiver, signed with a shared secret."""

    name = "webhook"
    provider = "webhook"
    idempotent = True

    def __init__(
        self,
        *,
        secret: str,
        timeout: httpx.Timeout,
        default_url: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.secret = secret
        self.default_url = default_url
        self.clock = clock
        self.http = provider_http.client(timeout)

    def send(self, message: Outgoing) -> Accepted:
        url = message.recipient if message.recipient.startswith(("https://", "http://")) else ""
        url = url or self.default_url
        if not url:
            raise PermanentError("webhook: no URL (set STATUSMAP_WEBHOOK_URL)")
        body = message.body.encode("utf-8")
        headers = {
            "X-Statusmap-Signature": signature(self.secret, int(self.clock()), body),
            "X-Statusmap-Delivery": message.idempotency_key,
            "User-Agent": "statusmap-webhook/1",
        }
        provider_http.post(self.http, self.provider, url, body, headers, duplicate_ok=True)
        return Accepted(provider_ref=message.idempotency_key)

    def close(self) -> None:
        self.http.close()


def from_config(config: Mapping[str, Any]) -> WebhookChannel:
    """The channel from STATUSMAP_WEBHOOK_SECRET (and STATUSMAP_WEBHOOK_URL)."""
    settings.require(config, "webhook")
    return WebhookChannel(
        secret=settings.text(config, "WEBHOOK_SECRET"),
        timeout=settings.timeout(config),
        default_url=settings.text(config, "WEBHOOK_URL"),
    )
