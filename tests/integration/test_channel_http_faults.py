"""What each HTTP channel (Target365, LINK Mobility, voice, webhook) makes of a provider's
failures, against real servers: nothing went out (transient), never will (permanent), or may
have gone out (uncertain)."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from statusmap.notify.channels.base import Outgoing
from statusmap.notify.channels.base import PermanentError
from statusmap.notify.channels.base import TransientError
from statusmap.notify.channels.base import UncertainError
from statusmap.notify.channels.link_mobility import LinkMobilityChannel
from statusmap.notify.channels.target365 import Target365Channel
from statusmap.notify.channels.voice import VoiceChannel
from statusmap.notify.channels.webhook import WebhookChannel
from tests.fakes.providers import link_mobility_app
from tests.fakes.providers import provider_server
from tests.fakes.providers import target365_app
from tests.fakes.providers import voice_app
from tests.fakes.providers import webhook_receiver_app
from tests.fakes.smtp_server import free_port

QUICK = httpx.Timeout(connect=1.0, read=0.5, write=0.5, pool=1.0)

PROVIDERS: dict[str, tuple[Callable[[], Any], Callable[[str], Any]]] = {
    "target365": (
        lambda: target365_app("k"),
        lambda url: Target365Channel(base_url=url, api_key="k", sender="Kommune", timeout=QUICK),
    ),
    "link_mobility": (
        lambda: link_mobility_app("u", "p"),
        lambda url: LinkMobilityChannel(
            base_url=url,
            username="u",
            password="p",
            platform_id="COMMON_API",
            platform_partner_id="1",
            sender="Kommune",
            timeout=QUICK,
        ),
    ),
    "voice": (
        lambda: voice_app("v"),
        lambda url: VoiceChannel(
            url=url + "/calls", token="v", caller_id="+4722000000", timeout=QUICK
        ),
    ),
    "webhook": (
        webhook_receiver_app,
        lambda url: WebhookChannel(secret="s" * 32, timeout=QUICK, default_url=url + "/hook"),
    ),
}
OUTCOMES = [
    ("ok", None),
    (500, TransientError),
    (503, TransientError),
    (429, TransientError),
    (401, TransientError),  # our credentials are wrong: fixing them must not lose the warning
    (400, PermanentError),
    (422, PermanentError),
    ("hang", UncertainError),  # it arrived; the answer came too late
    ("drop", UncertainError),  # it arrived; the connection was cut before the answer
]


def message() -> Outgoing:
    return Outgoing(
        message_id=1,
        channel="sms",
        recipient="+4791234567",
        language="nb",
        subject="",
        body='{"tekst": "Kokepåbud i Møllegata"}',
        html=None,
        idempotency_key="3f0e1d2c-0000-4000-8000-00000000abcd",
        sender="Vann og avløp",
    )


@pytest.fixture(params=sorted(PROVIDERS))
def provider(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any]]:
    app, make = PROVIDERS[request.param]
    with provider_server(app()) as server:
        channel = make(server.url)
        yield server, channel
        channel.close()


@pytest.mark.parametrize(("action", "error"), OUTCOMES, ids=[str(a) for a, _ in OUTCOMES])
def test_each_answer_means_what_it_says(
    provider: tuple[Any, Any], action: str | int, error: type[Exception] | None
) -> None:
    server, channel = provider
    server.plan(action)
    if error is None:
        assert channel.send(message()).provider_ref
        assert len(server.delivered) == 1
        return
    with pytest.raises(error) as raised:
        channel.send(message())
    assert "+4791234567" not in str(raised.value)  # no personal data in the kept error
    if error is UncertainError:
        assert len(server.delivered) == 1  # why it is uncertain: the provider had it
    else:
        assert server.delivered == []


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_a_refused_connection_is_transient(name: str) -> None:
    channel = PROVIDERS[name][1](f"http://127.0.0.1:{free_port()}")
    with pytest.raises(TransientError, match="could not connect"):
        channel.send(message())
    channel.close()
