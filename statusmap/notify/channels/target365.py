"""SMS through Target365 (Strex): `POST {base}/api/out-messages` with the header X-ApiKey.

The body (their REST user guide): TransactionId (ours: the message's idempotency key; Target365
keeps one out-message per TransactionId, so a repeat after a timeout is not sent again:
idempotent), Sender, Recipient (E.164), Content, and DeliveryReportUrl when receipts are set
up. 201 Created is acceptance; a 409 for a TransactionId they already hold means they had it.
Delivery reports carry transactionId, statusCode and detailedStatusCode (notify/receipt_shapes).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from statusmap.notify import channel_settings as settings
from statusmap.notify.channels import provider_http
from statusmap.notify.channels.base import Accepted
from statusmap.notify.channels.base import Outgoing


class Target365Channel:
    """SMS through Target365's out-messages API."""

    name = "sms"  # the kind of message it delivers
    provider = "target365"
    idempotent = True

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        sender: str,
        timeout: httpx.Timeout,
        receipt_url: str | None = None,
    ) -> None:
        self.url = base_url.rstrip("/") + "/api/out-messages"
        self.api_key = api_key
        self.sender = sender
        self.receipt_url = receipt_url
        self.http = provider_http.client(timeout)

    def send(self, message: Outgoing) -> Accepted:
        payload: dict[str, Any] = {
            "TransactionId": message.idempotency_key,
            "Sender": self.sender,
            "Recipient": message.recipient,
            "Content": message.body,
        }
        if self.receipt_url:
            payload["DeliveryReportUrl"] = self.receipt_url
        provider_http.post(
            self.http,
            self.provider,
            self.url,
            provider_http.json_bytes(payload),
            {"X-ApiKey": self.api_key},
            duplicate_ok=True,
        )
        # Their receipts name the TransactionId we chose: that is the reference.
        return Accepted(provider_ref=message.idempotency_key)

    def close(self) -> None:
        self.http.close()


def from_config(config: Mapping[str, Any]) -> Target365Channel:
    """The channel from STATUSMAP_TARGET365_* and STATUSMAP_SMS_SENDER (ChannelConfigError)."""
    settings.require(config, "target365")
    return Target365Channel(
        base_url=settings.text(config, "TARGET365_BASE_URL"),
        api_key=settings.text(config, "TARGET365_API_KEY"),
        sender=settings.text(config, "SMS_SENDER"),
        timeout=settings.timeout(config),
        receipt_url=settings.receipt_url(config, "target365"),
    )
