"""The SMS channels against fake servers speaking Target365's and LINK Mobility's shapes: every
field and header their docs demand, Norwegian letters intact, and what a repeat does."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx
import pytest

from statusmap.notify.channel_settings import ChannelConfigError
from statusmap.notify.channels import link_mobility
from statusmap.notify.channels import target365
from statusmap.notify.channels.base import Outgoing
from statusmap.notify.channels.base import UncertainError
from tests.fakes.providers import link_mobility_app
from tests.fakes.providers import provider_server
from tests.fakes.providers import target365_app

TEXT = "Kokepåbud i Møllegata og Ærøveien. Kok vannet. Les mer: https://vann.no/h/12"
QUICK = httpx.Timeout(connect=1.0, read=0.5, write=0.5, pool=1.0)
KEY = "0b9f7c2e-4d1a-4e55-9a3b-7f00c0ffee01"


def sms(body: str = TEXT, key: str = KEY) -> Outgoing:
    return Outgoing(
        message_id=7,
        channel="sms",
        recipient="+4791234567",
        language="nb",
        subject="",
        body=body,
        html=None,
        idempotency_key=key,
        sender="Vann og avløp",
    )


OPENED: list[target365.Target365Channel | link_mobility.LinkMobilityChannel] = []


@pytest.fixture(autouse=True)
def _close_channels() -> Iterator[None]:
    yield
    while OPENED:
        OPENED.pop().close()


def target(url: str, **options: object) -> target365.Target365Channel:
    made = target365.Target365Channel(
        base_url=url,
        api_key="t365-key",
        sender="Kristiansd",
        timeout=QUICK,
        **options,  # type: ignore[arg-type]
    )
    OPENED.append(made)
    return made


def link(url: str, gate: str = "GATE-1") -> link_mobility.LinkMobilityChannel:
    made = link_mobility.LinkMobilityChannel(
        base_url=url,
        username="kommune",
        password="pass-ø",
        platform_id="COMMON_API",
        platform_partner_id="12345",
        sender="Kristiansd",
        timeout=QUICK,
        report_gate=gate,
    )
    OPENED.append(made)
    return made


def test_target365_gets_its_fields_and_header_with_the_letters_intact() -> None:
    receipts = "https://vann.no/api/v1/receipts/target365/secret-token-0123456789"
    with provider_server(target365_app(api_key="t365-key")) as server:
        accepted = target(server.url, receipt_url=receipts).send(sms())
    [request] = server.requests
    assert request.path == "/api/out-messages"
    assert request.headers["X-ApiKey"] == "t365-key"
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.json == {
        "TransactionId": KEY,
        "Sender": "Kristiansd",
        "Recipient": "+4791234567",
        "Content": TEXT,
        "DeliveryReportUrl": receipts,
    }
    assert "Møllegata og Ærøveien".encode() in request.body  # UTF-8, not \\u escapes
    assert accepted.provider_ref == KEY  # their receipts name our TransactionId


def test_target365_drops_a_repeat_after_a_timeout_so_the_channel_is_idempotent() -> None:
    assert target365.Target365Channel.idempotent is True
    with provider_server(target365_app(api_key="t365-key")) as server:
        channel = target(server.url)
        server.plan("hang")
        with pytest.raises(UncertainError):
            channel.send(sms())
        accepted = channel.send(sms())  # the worker's repeat, with the same key: 409
    assert accepted.provider_ref == KEY
    assert len(server.delivered) == 1
    assert [r.json["TransactionId"] for r in server.requests] == [KEY, KEY]


def test_link_mobility_gets_its_fields_and_basic_auth() -> None:
    with provider_server(link_mobility_app("kommune", "pass-ø")) as server:
        accepted = link(server.url).send(sms())
    [request] = server.requests
    assert request.path == "/sms/send"
    expected = base64.b64encode("kommune:pass-ø".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert request.json == {
        "source": "Kristiansd",
        "sourceTON": "ALPHANUMERIC",
        "destination": "+4791234567",
        "destinationTON": "MSISDN",
        "userData": TEXT,
        "dcs": "TEXT",  # æøå are in the GSM alphabet
        "platformId": "COMMON_API",
        "platformPartnerId": "12345",
        "refId": KEY,
        "useDeliveryReport": True,
        "deliveryReportGates": ["GATE-1"],
    }
    assert accepted.provider_ref is not None and accepted.provider_ref.startswith("link-")


def test_link_mobility_marks_text_outside_the_gsm_alphabet_as_ucs2() -> None:
    with provider_server(link_mobility_app("kommune", "pass-ø")) as server:
        link(server.url, gate="").send(sms("Vannavstenging – Møllegata 💧"))
    payload = server.requests[0].json
    assert payload["dcs"] == "UCS2"
    assert payload["userData"] == "Vannavstenging – Møllegata 💧"
    assert payload["useDeliveryReport"] is False and "deliveryReportGates" not in payload


def test_link_mobility_promises_no_deduplication_so_the_channel_is_not_idempotent() -> None:
    with provider_server(link_mobility_app("kommune", "pass-ø")) as server:
        channel = link(server.url)
        server.plan("hang")
        with pytest.raises(UncertainError):
            channel.send(sms())
        channel.send(sms())  # what a blind repeat would do: a second SMS
    assert channel.idempotent is False
    assert len(server.delivered) == 2


def test_sender_type_of_number() -> None:
    assert link_mobility.source_ton("Kristiansd") == "ALPHANUMERIC"
    assert link_mobility.source_ton("2201") == "SHORTNUMBER"
    assert link_mobility.source_ton("+4790000000") == "MSISDN"


def test_from_config_needs_the_provider_settings_and_builds_the_receipt_url() -> None:
    config = {
        "TARGET365_BASE_URL": "https://shared.target365.io",
        "TARGET365_API_KEY": "key",
        "SMS_SENDER": "Kristiansd",
        "PUBLIC_BASE_URL": "https://vann.kristiansand.no/",
        "RECEIPT_TOKEN": "r" * 24,
    }
    channel = target365.from_config(config)
    OPENED.append(channel)
    assert channel.url == "https://shared.target365.io/api/out-messages"
    assert (
        channel.receipt_url == f"https://vann.kristiansand.no/api/v1/receipts/target365/{'r' * 24}"
    )
    with pytest.raises(ChannelConfigError, match="STATUSMAP_SMS_SENDER"):
        target365.from_config({**config, "SMS_SENDER": ""})
    with pytest.raises(ChannelConfigError, match="STATUSMAP_LINK_USERNAME"):
        link_mobility.from_config({"SMS_SENDER": "Kristiansd", "LINK_PLATFORM_PARTNER_ID": "1"})
