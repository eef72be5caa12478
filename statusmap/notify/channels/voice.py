"""Voice calls through a text-to-speech call API, in a documented generic JSON shape.

`POST {STATUSMAP_VOICE_URL}` with `Authorization: Bearer {STATUSMAP_VOICE_TOKEN}` (with
STATUSMAP_VOICE_PROVIDER=voice):

    {"id": "<idempotency key>", "to": "+4791234567", "from": "<STATUSMAP_VOICE_CALLER_ID>",
     "script": "<what the voice reads>", "language": "nb-NO" | "nn-NO" | "en-GB",
     "status_callback": "<our receipt URL>"}   (status_callback only when receipts are set up)

A 2xx answer (optionally {"id": "<their call id>"}) means the call is placed; 409 means the
provider already has a call with this id. The contract asks the provider to place at most one
call per id, so a repeat after a timeout is safe: idempotent. Status callbacks come back to
/api/v1/receipts/voice as {"id", "status": "completed" | "failed" | "busy" | "no-answer" | ...}.
An adapter for a provider with another shape (Target365's, say) is a small proxy in front.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from statusmap.notify import channel_settings as settings
from statusmap.notify.channels import provider_http
from statusmap.notify.channels.base import Accepted
from statusmap.notify.channels.base import Outgoing

SPEECH_LANGUAGES = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}


class VoiceChannel:
    """A text-to-speech call per message."""

    name = "voice"
    provider = "voice"
    idempotent = True

    def __init__(
        self,
        *,
        url: str,
        token: str,
        caller_id: str,
        timeout: httpx.Timeout,
        receipt_url: str | None = None,
    ) -> None:
        self.url = url
        self.token = token
        self.caller_id = caller_id
        self.receipt_url = receipt_url
        self.http = provider_http.client(timeout)

    def send(self, message: Outgoing) -> Accepted:
        payload: dict[str, Any] = {
            "id": message.idempotency_key,
            "to": message.recipient,
            "from": self.caller_id,
            "script": message.body,
            "language": SPEECH_LANGUAGES.get(message.language, "nb-NO"),
        }
        if self.receipt_url:
            payload["status_callback"] = self.receipt_url
        response = provider_http.post(
            self.http,
            self.provider,
            self.url,
            provider_http.json_bytes(payload),
            {"Authorization": f"Bearer {self.token}"},
            duplicate_ok=True,
        )
        reference = provider_http.answer_field(response, "id")
        return Accepted(provider_ref=reference or message.idempotency_key)

    def close(self) -> None:
        self.http.close()


def from_config(config: Mapping[str, Any]) -> VoiceChannel:
    """The channel from STATUSMAP_VOICE_URL, _TOKEN and _CALLER_ID (ChannelConfigError)."""
    settings.require(config, "voice")
    return VoiceChannel(
        url=settings.text(config, "VOICE_URL"),
        token=settings.text(config, "VOICE_TOKEN"),
        caller_id=settings.text(config, "VOICE_CALLER_ID"),
        timeout=settings.timeout(config),
        receipt_url=settings.receipt_url(config, "voice"),
    )
