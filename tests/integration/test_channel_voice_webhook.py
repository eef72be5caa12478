"""The voice channel (the documented text-to-speech call shape) and the signed webhook, against
real servers: the fields, the language, the signature a receiver can check, and repeats."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from statusmap.notify.channel_settings import ChannelConfigError
from statusmap.notify.channels import voice
from statusmap.notify.channels import webhook
from statusmap.notify.channels.base import Outgoing
from statusmap.notify.channels.base import PermanentError
from statusmap.notify.channels.base import UncertainError
from tests.fakes.providers import provider_server
from tests.fakes.providers import voice_app
from tests.fakes.providers import webhook_receiver_app

QUICK = httpx.Timeout(connect=1.0, read=0.5, write=0.5, pool=1.0)
SCRIPT = "Dette er en melding fra Vann og avløp i Kristiansand. Kokepåbud i Møllegata."
SECRET = "whsec-0123456789abcdefghij"


def call(language: str = "nn") -> Outgoing:
    return Outgoing(
        message_id=3,
        channel="voice",
        recipient="+4791234567",
        language=language,
        subject="",
        body=SCRIPT,
        html=None,
        idempotency_key="7d6c5b4a-0000-4000-8000-000000000003",
        sender="Vann og avløp",
    )


def test_a_call_carries_the_documented_fields_and_is_placed_once() -> None:
    with provider_server(voice_app("voice-token")) as server:
        channel = voice.VoiceChannel(
            url=server.url + "/calls",
            token="voice-token",
            caller_id="+4738000000",
            timeout=QUICK,
            receipt_url="https://vann.no/api/v1/receipts/voice/t",
        )
        server.plan("hang")
        with pytest.raises(UncertainError):
            channel.send(call())
        accepted = channel.send(call())  # the repeat with the same id: the provider had it
        channel.close()
    first = server.requests[0]
    assert first.headers["Authorization"] == "Bearer voice-token"
    assert first.json == {
        "id": "7d6c5b4a-0000-4000-8000-000000000003",
        "to": "+4791234567",
        "from": "+4738000000",
        "script": SCRIPT,
        "language": "nn-NO",
        "status_callback": "https://vann.no/api/v1/receipts/voice/t",
    }
    assert len(server.delivered) == 1 and voice.VoiceChannel.idempotent
    assert accepted.provider_ref == "7d6c5b4a-0000-4000-8000-000000000003"


@pytest.mark.parametrize(("language", "speech"), [("nb", "nb-NO"), ("en", "en-GB")])
def test_the_speech_language_follows_the_message(language: str, speech: str) -> None:
    with provider_server(voice_app("t")) as server:
        channel = voice.VoiceChannel(
            url=server.url + "/calls", token="t", caller_id="+4738000000", timeout=QUICK
        )
        accepted = channel.send(call(language))
        channel.close()
    assert server.requests[0].json["language"] == speech
    assert "status_callback" not in server.requests[0].json
    assert accepted.provider_ref == "call-1"  # the provider's own call id, when it gives one


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = 300) -> bool:
    """What a receiver does (as README shows): recompute the HMAC, compare, check the age."""
    parts = dict(part.split("=", 1) for part in header.split(","))
    signed = parts["t"].encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    fresh = abs(now - int(parts["t"])) <= tolerance
    return fresh and hmac.compare_digest(expected, parts["v1"])


def test_the_webhook_is_signed_so_the_receiver_can_check_it() -> None:
    body = json.dumps({"hendelse": 12, "tekst": "Kokepåbud i Møllegata"}, ensure_ascii=False)
    message = Outgoing(**{**call().__dict__, "channel": "webhook", "recipient": "", "body": body})
    with provider_server(webhook_receiver_app()) as server:
        channel = webhook.WebhookChannel(
            secret=SECRET,
            timeout=QUICK,
            default_url=server.url + "/hook",
            clock=lambda: 1_767_000_000,
        )
        channel.send(message)
        channel.close()
    [request] = server.requests
    assert request.body == body.encode("utf-8")  # byte for byte what was signed
    assert request.headers["X-Statusmap-Delivery"] == message.idempotency_key
    header = request.headers["X-Statusmap-Signature"]
    assert header.startswith("t=1767000000,v1=")
    assert verify(SECRET, header, request.body, now=1_767_000_100)
    assert not verify("another-secret-0123456789", header, request.body, now=1_767_000_100)
    assert not verify(SECRET, header, request.body.replace(b"12", b"13"), now=1_767_000_100)
    assert not verify(SECRET, header, request.body, now=1_767_001_000)  # replayed too late
    assert server.delivered == [{"hendelse": 12, "tekst": "Kokepåbud i Møllegata"}]


def readme_verifier() -> Callable[[str, str, bytes], bool]:
    """The receiver's check exactly as README shows it."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n( *import hashlib, hmac, time\n.*?)```", readme, re.S)
    assert block, "README shows how a receiver verifies the webhook"
    namespace: dict[str, Any] = {}
    exec(textwrap.dedent(block.group(1)), namespace)  # our own README
    verified: Callable[[str, str, bytes], bool] = namespace["verified"]
    return verified


def test_the_readme_verifier_accepts_our_signature_and_nothing_else() -> None:
    message = Outgoing(**{**call().__dict__, "recipient": "", "body": '{"tekst": "Kokepåbud"}'})
    with provider_server(webhook_receiver_app()) as server:
        channel = webhook.WebhookChannel(
            secret=SECRET, timeout=QUICK, default_url=server.url + "/hook"
        )
        channel.send(message)
        channel.close()
    [request] = server.requests
    verified = readme_verifier()
    assert verified(SECRET, request.headers["X-Statusmap-Signature"], request.body)
    assert not verified(SECRET, request.headers["X-Statusmap-Signature"], request.body + b" ")
    old = webhook.signature(SECRET, int(time.time()) - 3600, request.body)
    assert not verified(SECRET, old, request.body)


def test_a_message_may_name_its_own_receiver() -> None:
    with provider_server(webhook_receiver_app()) as server:
        message = Outgoing(**{**call().__dict__, "recipient": server.url + "/hook", "body": "{}"})
        channel = webhook.WebhookChannel(secret=SECRET, timeout=QUICK)
        channel.send(message)
        with pytest.raises(PermanentError, match="STATUSMAP_WEBHOOK_URL"):
            channel.send(Outgoing(**{**message.__dict__, "recipient": ""}))
        channel.close()
    assert len(server.requests) == 1


def test_from_config_names_what_is_missing() -> None:
    with pytest.raises(ChannelConfigError, match="STATUSMAP_VOICE_CALLER_ID"):
        voice.from_config({"VOICE_URL": "https://tale.example/calls", "VOICE_TOKEN": "t"})
    with pytest.raises(ChannelConfigError, match="STATUSMAP_WEBHOOK_SECRET"):
        webhook.from_config({"WEBHOOK_URL": "https://mottak.example/hook"})
