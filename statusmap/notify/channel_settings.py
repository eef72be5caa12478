"""The providers' settings (SMTP_*, MAIL_FROM, SMS_SENDER, TARGET365_*, LINK_*, VOICE_CALLER_ID,
WEBHOOK_*, RECEIPT_TOKEN): defaults, the checks at start-up, and small readers for the channels.

Which provider each kind uses (SMS_PROVIDER, VOICE_PROVIDER, EMAIL_PROVIDER, WEBHOOK_PROVIDER)
and the voice API's VOICE_URL and VOICE_TOKEN are the worker's settings (delivery_settings).

Settings from the environment arrive JSON-decoded (STATUSMAP_SMTP_PASSWORD=1234 is the number
1234), so every text setting is read through `text()`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from email.headerregistry import Address
from email.utils import parseaddr
from typing import Any

import httpx

CHANNEL_DEFAULTS: dict[str, Any] = {
    # E-mail over SMTP; empty SMTP_HOST: no SMTP channel. SMTP_PORT 0: the security's own port
    # (25 none, 587 starttls, 465 tls). MAIL_FROM: "Name <address>"; the name shown is the
    # sending department when the message has one.
    "SMTP_HOST": "",
    "SMTP_PORT": 0,
    "SMTP_USERNAME": "",
    "SMTP_PASSWORD": "",
    "SMTP_SECURITY": "starttls",
    "SMTP_TIMEOUT_S": 30,
    "MAIL_FROM": "",
    # The SMS sender id: letters and digits, at most 11, or a number of at most 15 digits.
    "SMS_SENDER": "",
    "TARGET365_BASE_URL": "https://shared.target365.io",
    "TARGET365_API_KEY": "",
    "LINK_BASE_URL": "https://n-eu.linkmobility.io",
    "LINK_USERNAME": "",
    "LINK_PASSWORD": "",
    "LINK_PLATFORM_ID": "COMMON_API",
    "LINK_PLATFORM_PARTNER_ID": "",
    "LINK_DELIVERY_REPORT_GATE": "",
    # The number voice calls come from (VOICE_PROVIDER=voice: channels/voice.py has the shape).
    "VOICE_CALLER_ID": "",
    # Signed webhook: where it goes (unless a message names its own URL) and the signing secret.
    "WEBHOOK_URL": "",
    "WEBHOOK_SECRET": "",
    # The secret providers put in the receipt URL (/api/v1/receipts/<provider>/<token>) or send
    # as X-Statusmap-Receipt-Token; empty: receipts are refused (404).
    "RECEIPT_TOKEN": "",
    # Every provider request: seconds to connect, and to wait for the answer once sent.
    "PROVIDER_CONNECT_TIMEOUT_S": 5,
    "PROVIDER_READ_TIMEOUT_S": 15,
}

SECURITIES = ("none", "starttls", "tls")
STANDARD_PORTS = {"none": 25, "starttls": 587, "tls": 465}
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
ALPHANUMERIC_SENDER = re.compile(r"[A-Za-z0-9]{1,11}")
NUMERIC_SENDER = re.compile(r"\+?[0-9]{3,15}")
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,200}")
# What each SMS_PROVIDER of these channels needs before it can send anything.
REQUIRED = {
    "target365": ("TARGET365_BASE_URL", "TARGET365_API_KEY", "SMS_SENDER"),
    "link_mobility": (
        "LINK_BASE_URL",
        "LINK_USERNAME",
        "LINK_PASSWORD",
        "LINK_PLATFORM_ID",
        "LINK_PLATFORM_PARTNER_ID",
        "SMS_SENDER",
    ),
    "voice": ("VOICE_URL", "VOICE_TOKEN", "VOICE_CALLER_ID"),
    "smtp": ("SMTP_HOST", "MAIL_FROM"),
    "webhook": ("WEBHOOK_SECRET",),
}


class ChannelConfigError(ValueError):
    """A provider setting that cannot work; the message names it."""


def text(config: Mapping[str, Any], key: str) -> str:
    """A text setting as text (the environment may have decoded it as a number)."""
    value = config.get(key, CHANNEL_DEFAULTS.get(key, ""))
    return "" if value is None else str(value).strip()


def require(config: Mapping[str, Any], provider: str) -> None:
    """Refuse a provider whose required settings are empty, naming them."""
    missing = [f"STATUSMAP_{key}" for key in REQUIRED[provider] if not text(config, key)]
    if missing:
        raise ChannelConfigError(f"{provider} needs {', '.join(missing)}")


def timeout(config: Mapping[str, Any]) -> httpx.Timeout:
    """The providers' HTTP timeouts: connecting, and waiting for an answer once sent."""
    connect = _seconds(config, "PROVIDER_CONNECT_TIMEOUT_S")
    read = _seconds(config, "PROVIDER_READ_TIMEOUT_S")
    return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)


def mail_from(config: Mapping[str, Any]) -> Address:
    """MAIL_FROM as an address (display name and addr-spec)."""
    name, addr = parseaddr(text(config, "MAIL_FROM"))
    if "@" not in addr or addr.startswith("@") or addr.endswith("@"):
        raise ChannelConfigError(
            'STATUSMAP_MAIL_FROM must be an address, e.g. "Vann og avløp <varsel@kommune.no>"'
        )
    username, domain = addr.rsplit("@", 1)
    return Address(display_name=name, username=username, domain=domain)


def smtp_port(config: Mapping[str, Any]) -> int:
    """The SMTP port: the setting, or the standard one for the security chosen."""
    port = config.get("SMTP_PORT") or 0
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ChannelConfigError(f"STATUSMAP_SMTP_PORT must be a port number, got {port!r}")
    return port or STANDARD_PORTS[smtp_security(config)]


def smtp_security(config: Mapping[str, Any]) -> str:
    security = text(config, "SMTP_SECURITY").lower()
    if security not in SECURITIES:
        raise ChannelConfigError(f"STATUSMAP_SMTP_SECURITY must be one of {', '.join(SECURITIES)}")
    return security


def receipt_url(config: Mapping[str, Any], provider: str) -> str | None:
    """The URL a provider posts delivery receipts to, when receipts are configured."""
    base, token = text(config, "PUBLIC_BASE_URL"), text(config, "RECEIPT_TOKEN")
    if not base or not token:
        return None
    return f"{base.rstrip('/')}/api/v1/receipts/{provider}/{token}"


def check_channel_settings(config: Mapping[str, Any]) -> None:
    """Refuse at start what cannot work; say which setting and why."""
    smtp_port(config)
    if text(config, "SMTP_HOST"):
        require(config, "smtp")
        mail_from(config)
        _refuse_plain_login(config)
        if not text(config, "SMTP_PASSWORD").isascii():
            raise ChannelConfigError(
                "STATUSMAP_SMTP_PASSWORD must be ASCII (Python's SMTP login sends no other)"
            )
    _check_sender(text(config, "SMS_SENDER"))
    for key in ("TARGET365_BASE_URL", "LINK_BASE_URL", "VOICE_URL", "WEBHOOK_URL"):
        value = text(config, key)
        if value and not value.startswith(("https://", "http://")):
            raise ChannelConfigError(f"STATUSMAP_{key} must be an http(s) URL, got {value!r}")
    for key in ("PROVIDER_CONNECT_TIMEOUT_S", "PROVIDER_READ_TIMEOUT_S", "SMTP_TIMEOUT_S"):
        _seconds(config, key)
    for key in ("RECEIPT_TOKEN", "WEBHOOK_SECRET"):
        value = text(config, key)
        if value and not TOKEN.fullmatch(value):
            raise ChannelConfigError(
                f"STATUSMAP_{key} must be 16 to 200 letters, digits, - or _ (a long random value)"
            )
    if text(config, "WEBHOOK_URL"):
        require(config, "webhook")
    _check_chosen(config)


def _check_chosen(config: Mapping[str, Any]) -> None:
    """The providers chosen for each kind have what they need."""
    chosen = {
        "SMS_PROVIDER": ("target365", "link_mobility"),
        "VOICE_PROVIDER": ("voice",),
        "EMAIL_PROVIDER": ("smtp",),
        "WEBHOOK_PROVIDER": ("webhook",),
    }
    for setting, providers in chosen.items():
        provider = text(config, setting)
        if provider in providers:
            require(config, provider)


def _refuse_plain_login(config: Mapping[str, Any]) -> None:
    """A password over an unencrypted connection is refused, except to this machine."""
    if (
        text(config, "SMTP_USERNAME")
        and smtp_security(config) == "none"
        and text(config, "SMTP_HOST") not in LOCAL_HOSTS
    ):
        raise ChannelConfigError(
            "STATUSMAP_SMTP_USERNAME with STATUSMAP_SMTP_SECURITY=none would send the password"
            " unencrypted; use starttls or tls"
        )


def _check_sender(sender: str) -> None:
    alphanumeric = ALPHANUMERIC_SENDER.fullmatch(sender) and not sender.isdigit()
    if sender and not (alphanumeric or NUMERIC_SENDER.fullmatch(sender)):
        raise ChannelConfigError(
            "STATUSMAP_SMS_SENDER must be at most 11 letters and digits (A-Z, a-z, 0-9; no æøå or"
            f" spaces) or a number of at most 15 digits, got {sender!r}"
        )


def _seconds(config: Mapping[str, Any], key: str) -> float:
    value = config.get(key, CHANNEL_DEFAULTS[key])
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ChannelConfigError(f"STATUSMAP_{key} must be a number of seconds > 0, got {value!r}")
    return float(value)


def sender_is_alphanumeric(sender: str) -> bool:
    """Whether an SMS sender id is a name (not a number the recipient can answer)."""
    return not NUMERIC_SENDER.fullmatch(sender)
