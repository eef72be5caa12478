"""The worker's own channels and their settings: the generic JSON gateway against a real
(fake) gateway server, the development log channel, and the registry's refusals."""

from __future__ import annotations

import logging
import socket
import time
from contextlib import closing

import pytest

from statusmap import create_app
from statusmap.config import ConfigError
from statusmap.notify import delivery_settings
from statusmap.notify.channels.base import Outgoing
from statusmap.notify.channels.base import PermanentError
from statusmap.notify.channels.base import TransientError
from statusmap.notify.channels.base import UncertainError
from statusmap.notify.channels.generic_json import GenericJsonChannel
from statusmap.notify.channels.generic_json import RateLimited
from statusmap.notify.channels.log import LogChannel
from statusmap.notify.channels.registry import build_channels
from tests.fakes.gateway import Behaviour
from tests.fakes.gateway import RunningGateway
from tests.fakes.gateway import running_gateway

TOKEN = "tok-en"
LINK = "https://vann.example.no/gran/varsel/av/Secret-Token_123"


def _message(key: str = "7a1c0d4e-0000-4000-8000-000000000001") -> Outgoing:
    return Outgoing(
        message_id=41,
        channel="sms",
        recipient="+4791234567",
        language="nb",
        subject="",
        body=f"Vannet er stengt. Avmeld: {LINK}",
        html=None,
        idempotency_key=key,
        sender="Vann og avløp",
    )


def _channel(
    gateway: RunningGateway, token: str = TOKEN, timeout: float = 2.0
) -> closing[GenericJsonChannel]:
    return closing(GenericJsonChannel("sms", gateway.url, token, timeout))


def test_an_accepted_message_is_delivered_once_however_often_it_is_sent() -> None:
    with running_gateway(Behaviour(token=TOKEN)) as gateway:
        with _channel(gateway) as channel:
            first = channel.send(_message())
            again = channel.send(_message())  # repeated after an uncertain answer
        delivered, answers = gateway.deliveries(), gateway.stats()
    assert first.provider_ref == "gw-1" and again.provider_ref == _message().idempotency_key
    assert [(d.to, d.text) for d in delivered] == [("+4791234567", _message().body)]
    assert delivered[0].id == _message().idempotency_key
    assert answers == {"200": 1, "409": 1}


def test_a_timeout_after_acceptance_is_uncertain_and_the_repeat_is_not_delivered() -> None:
    behaviour = Behaviour(token=TOKEN, hang_ratio=1.0, hang_s=2.0)
    with running_gateway(behaviour) as gateway:
        with _channel(gateway, timeout=0.3) as channel:
            with pytest.raises(UncertainError):
                channel.send(_message())
            gateway_stats = gateway.stats()
            again = channel.send(_message())  # the worker's repeat, with the same id
        delivered = gateway.deliveries()
    assert gateway_stats == {"hung": 1}
    assert again.provider_ref == _message().idempotency_key, "accepted: it had it already"
    assert len(delivered) == 1


def test_a_failing_gateway_is_transient_and_delivers_nothing() -> None:
    with running_gateway(Behaviour(token=TOKEN, fail_ratio=1.0)) as gateway:
        with pytest.raises(TransientError, match="HTTP 500") as raised, _channel(gateway) as c:
            c.send(_message())
        assert gateway.deliveries() == []
    assert "+47" not in str(raised.value)


def test_beyond_the_rate_limit_the_gateway_says_when_to_come_back() -> None:
    with running_gateway(Behaviour(token=TOKEN, rate_per_s=1, burst=1)) as gateway:
        with _channel(gateway) as channel:
            channel.send(_message())
            channel.rate_wait_s = 0  # hand the 429 to the worker at once
            with pytest.raises(RateLimited) as raised:
                channel.send(_message("7a1c0d4e-0000-4000-8000-000000000002"))
        assert len(gateway.deliveries()) == 1
    assert raised.value.retry_after == 1.0


def test_a_rate_limited_send_is_paced_and_asked_again_before_the_worker_sees_it() -> None:
    with running_gateway(Behaviour(token=TOKEN, rate_per_s=4, burst=1)) as gateway:
        with _channel(gateway) as channel:
            started = time.monotonic()
            for n in range(4):
                channel.send(_message(f"7a1c0d4e-0000-4000-8000-00000000001{n}"))
            elapsed = time.monotonic() - started
        answers = gateway.stats()
    assert answers["200"] == 4 and 0.5 < elapsed < 3, (answers, elapsed)
    assert answers["429"] <= 12, "paced at the gate, not spinning on refusals"


def test_a_refused_message_is_permanent() -> None:
    with (
        running_gateway(Behaviour(token=TOKEN)) as gateway,
        pytest.raises(PermanentError, match="HTTP 401"),
        _channel(gateway, token="wrong") as channel,
    ):
        channel.send(_message())


def test_an_unreachable_gateway_is_transient() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    channel = GenericJsonChannel("sms", f"http://127.0.0.1:{port}/send", TOKEN, 1.0)
    with pytest.raises(TransientError, match="unreachable"), closing(channel):
        channel.send(_message())


def test_the_log_channel_writes_no_number_and_no_token(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="statusmap.notify.log"):
        accepted = LogChannel("sms").send(_message())
    [line] = caplog.messages
    assert accepted.provider_ref == "log-41"
    assert "+4791234567" not in line and "Secret-Token_123" not in line
    assert "+47*****567" in line and "Vann og avløp" in line and "/varsel/av/…" in line


def test_with_nothing_configured_every_kind_goes_to_the_log() -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": "sqlite://"})
    channels = build_channels(app.config)
    assert {kind: type(c).__name__ for kind, c in channels.items()} == dict.fromkeys(
        ("sms", "voice", "email", "webhook", "log"), "LogChannel"
    )


@pytest.mark.parametrize(
    ("settings", "names"),
    [
        ({"SMS_PROVIDER": "generic_json"}, "STATUSMAP_SMS_URL"),
        ({"VOICE_PROVIDER": "generic_json", "VOICE_URL": "ftp://x"}, "STATUSMAP_VOICE_URL"),
        ({"SMS_PROVIDER": "sveve"}, "STATUSMAP_SMS_PROVIDER must be one of log, generic_json"),
        ({"EMAIL_PROVIDER": "generic_json"}, "STATUSMAP_EMAIL_PROVIDER must be one of log, smtp"),
        ({"WORKER_CONCURRENCY": 0}, "STATUSMAP_WORKER_CONCURRENCY"),
        ({"WORKER_MAX_ATTEMPTS": "6"}, "STATUSMAP_WORKER_MAX_ATTEMPTS"),
    ],
)
def test_settings_that_cannot_send_stop_the_start_naming_the_setting(
    settings: dict, names: str
) -> None:
    with pytest.raises(ConfigError, match=names):
        create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite://", **settings})


def test_a_provider_whose_module_is_missing_names_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    modules = {**delivery_settings.PROVIDER_MODULES, "sms": {"target365": "no_such_module"}}
    monkeypatch.setattr(delivery_settings, "PROVIDER_MODULES", modules)
    with pytest.raises(ConfigError, match="STATUSMAP_SMS_PROVIDER=target365 needs the module"):
        create_app(
            {"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite://"}
            | {"SMS_PROVIDER": "target365"}
        )
