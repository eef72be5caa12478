"""SMS through LINK Mobility's common platform: `POST {base}/sms/send` with Basic auth.

The body: source (+ sourceTON), destination (E.164, destinationTON MSISDN), userData, dcs (TEXT
for the GSM alphabet, which holds æøå; UCS2 for anything else, or the text would be mangled),
platformId, platformPartnerId, refId (our idempotency key, echoed in delivery reports),
useDeliveryReport and deliveryReportGates (the gate LINK set up to post reports to our URL).
The answer carries LINK's messageId, which their reports name as `id`.

Not idempotent: LINK documents refId as our reference, returned in reports; nowhere do they
promise to drop a second request with the same refId. A timeout after sending therefore leaves
the message uncertain rather than risking a second SMS.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
import smsutil

from statusmap.notify import channel_settings as settings
from statusmap.notify.channels import provider_http
from statusmap.notify.channels.base import Accepted
from statusmap.notify.channels.base import Outgoing

SHORT_NUMBER_DIGITS = 8


class LinkMobilityChannel:
    """SMS through LINK Mobility's /sms/send."""

    name = "sms"  # the kind of message it delivers
    provider = "link_mobility"
    idempotent = False

    def __init__(
        self,
        *,
        base_url: str,
        username: str,
        password: str,
        platform_id: str,
        platform_partner_id: str,
        sender: str,
        timeout: httpx.Timeout,
        report_gate: str = "",
    ) -> None:
        self.url = base_url.rstrip("/") + "/sms/send"
        self.platform_id = platform_id
        self.platform_partner_id = platform_partner_id
        self.sender = sender
        self.report_gate = report_gate
        self.http = provider_http.client(timeout, auth=httpx.BasicAuth(username, password))

    def send(self, message: Outgoing) -> Accepted:
        response = provider_http.post(
            self.http, self.provider, self.url, provider_http.json_bytes(self.payload(message)), {}
        )
        reference = provider_http.answer_field(response, "messageId")
        return Accepted(provider_ref=reference or message.idempotency_key)

    def payload(self, message: Outgoing) -> dict[str, Any]:
        """The JSON body LINK's /sms/send takes for one message."""
        payload: dict[str, Any] = {
            "source": self.sender,
            "sourceTON": source_ton(self.sender),
            "destination": message.recipient,
            "destinationTON": "MSISDN",
            "userData": message.body,
            "dcs": "TEXT" if smsutil.is_valid_gsm(message.body) else "UCS2",
            "platformId": self.platform_id,
            "platformPartnerId": self.platform_partner_id,
            "refId": message.idempotency_key,
            "useDeliveryReport": bool(self.report_gate),
        }
        if self.report_gate:
            payload["deliveryReportGates"] = [self.report_gate]
        return payload

    def close(self) -> None:
        self.http.close()


def source_ton(sender: str) -> str:
    """LINK's type of number for a sender id: a name, a short number, or a full number."""
    if settings.sender_is_alphanumeric(sender):
        return "ALPHANUMERIC"
    digits = sender.removeprefix("+")
    return "SHORTNUMBER" if len(digits) <= SHORT_NUMBER_DIGITS and sender[0] != "+" else "MSISDN"


def from_config(config: Mapping[str, Any]) -> LinkMobilityChannel:
    """The channel from STATUSMAP_LINK_* and STATUSMAP_SMS_SENDER (ChannelConfigError)."""
    settings.require(config, "link_mobility")
    return LinkMobilityChannel(
        base_url=settings.text(config, "LINK_BASE_URL"),
        username=settings.text(config, "LINK_USERNAME"),
        password=settings.text(config, "LINK_PASSWORD"),
        platform_id=settings.text(config, "LINK_PLATFORM_ID"),
        platform_partner_id=settings.text(config, "LINK_PLATFORM_PARTNER_ID"),
        sender=settings.text(config, "SMS_SENDER"),
        timeout=settings.timeout(config),
        report_gate=settings.text(config, "LINK_DELIVERY_REPORT_GATE"),
    )
