"""The providers' settings: what start-up refuses, and the message that names the setting."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from statusmap import create_app
from statusmap.config import ConfigError
from statusmap.notify.channel_settings import CHANNEL_DEFAULTS
from statusmap.notify.channel_settings import ChannelConfigError
from statusmap.notify.channel_settings import check_channel_settings
from statusmap.notify.channel_settings import receipt_url
from statusmap.notify.channel_settings import smtp_port


def settings(**changes: Any) -> dict[str, Any]:
    return {**CHANNEL_DEFAULTS, **changes}


def test_the_defaults_pass() -> None:
    check_channel_settings(settings())


@pytest.mark.parametrize("sender", ["Kristiansand", "Kristiansa", "Vann og avløp", "Bø", "+47 900"])
def test_sender_ids_that_phones_would_not_show_are_refused(sender: str) -> None:
    if sender == "Kristiansa":
        check_channel_settings(settings(SMS_SENDER=sender))  # 10 letters: fine
        return
    with pytest.raises(ChannelConfigError, match="STATUSMAP_SMS_SENDER"):
        check_channel_settings(settings(SMS_SENDER=sender))


@pytest.mark.parametrize("sender", ["Kommune", "KRS2026", "2201", "+4790000000"])
def test_names_and_numbers_are_fine_senders(sender: str) -> None:
    check_channel_settings(settings(SMS_SENDER=sender))


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"SMTP_HOST": "smtp.kommune.no"}, "STATUSMAP_MAIL_FROM"),
        ({"SMTP_HOST": "smtp.kommune.no", "MAIL_FROM": "varsel"}, "STATUSMAP_MAIL_FROM"),
        ({"SMTP_SECURITY": "ssl"}, "STATUSMAP_SMTP_SECURITY"),
        ({"SMTP_PORT": 70000}, "STATUSMAP_SMTP_PORT"),
        (
            {
                "SMTP_HOST": "smtp.kommune.no",
                "MAIL_FROM": "v@kommune.no",
                "SMTP_USERNAME": "v",
                "SMTP_SECURITY": "none",
            },
            "STATUSMAP_SMTP_SECURITY=none",
        ),
        (
            {"SMTP_HOST": "localhost", "MAIL_FROM": "v@kommune.no", "SMTP_PASSWORD": "blåbær"},
            "STATUSMAP_SMTP_PASSWORD",
        ),
        ({"RECEIPT_TOKEN": "short"}, "STATUSMAP_RECEIPT_TOKEN"),
        ({"RECEIPT_TOKEN": "a/b" * 10}, "STATUSMAP_RECEIPT_TOKEN"),
        ({"WEBHOOK_URL": "https://mottak.example/hook"}, "STATUSMAP_WEBHOOK_SECRET"),
        ({"LINK_BASE_URL": "ftp://link"}, "STATUSMAP_LINK_BASE_URL"),
        ({"PROVIDER_READ_TIMEOUT_S": 0}, "STATUSMAP_PROVIDER_READ_TIMEOUT_S"),
        ({"SMS_PROVIDER": "target365", "SMS_SENDER": "Kommune"}, "STATUSMAP_TARGET365_API_KEY"),
        ({"SMS_PROVIDER": "link_mobility"}, "STATUSMAP_LINK_USERNAME"),
        ({"VOICE_PROVIDER": "voice"}, "STATUSMAP_VOICE_CALLER_ID"),
        ({"EMAIL_PROVIDER": "smtp"}, "STATUSMAP_SMTP_HOST"),
    ],
)
def test_what_cannot_work_is_refused_by_name(changes: dict[str, Any], named: str) -> None:
    with pytest.raises(ChannelConfigError, match=named):
        check_channel_settings(settings(**changes))


def test_login_without_encryption_is_allowed_to_this_machine_only() -> None:
    local = {"SMTP_HOST": "127.0.0.1", "MAIL_FROM": "v@kommune.no", "SMTP_USERNAME": "v"}
    check_channel_settings(settings(**local, SMTP_SECURITY="none"))


def test_ports_follow_the_security_unless_set() -> None:
    assert [smtp_port(settings(SMTP_SECURITY=s)) for s in ("none", "starttls", "tls")] == [
        25,
        587,
        465,
    ]
    assert smtp_port(settings(SMTP_SECURITY="none", SMTP_PORT=2525)) == 2525


def test_the_receipt_url_needs_the_public_address_and_the_token() -> None:
    assert receipt_url(settings(RECEIPT_TOKEN="t" * 20), "voice") is None
    url = receipt_url(settings(PUBLIC_BASE_URL="https://vann.no/", RECEIPT_TOKEN="t" * 20), "voice")
    assert url == f"https://vann.no/api/v1/receipts/voice/{'t' * 20}"


def test_the_app_refuses_to_start_with_a_bad_provider_setting(tmp_path: Any) -> None:
    with pytest.raises(ConfigError, match="STATUSMAP_SMS_SENDER"):
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x",
                "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
                "SMS_SENDER": "Vann og avløp",
            }
        )


FULL = {
    "SMTP_HOST": "smtp.kommune.no",
    "MAIL_FROM": "Vann og avløp <varsel@kommune.no>",
    "SMS_SENDER": "Kommune",
    "TARGET365_API_KEY": "key",
    "LINK_USERNAME": "u",
    "LINK_PASSWORD": "p",
    "LINK_PLATFORM_PARTNER_ID": "42",
    "VOICE_URL": "https://tale.example/calls",
    "VOICE_TOKEN": "t",
    "VOICE_CALLER_ID": "+4738000000",
    "WEBHOOK_URL": "https://mottak.example/hook",
    "WEBHOOK_SECRET": "w" * 20,
}


@pytest.mark.parametrize(
    ("module", "kind"),
    [
        ("smtp", "email"),
        ("target365", "sms"),
        ("link_mobility", "sms"),
        ("voice", "voice"),
        ("webhook", "webhook"),
    ],
)
def test_each_provider_module_builds_from_the_apps_config(
    tmp_path: Any, module: str, kind: str
) -> None:
    """As the worker's registry does: import the module by name, call from_config(config)."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
        | FULL
    )
    channel = importlib.import_module(f"statusmap.notify.channels.{module}").from_config(app.config)
    assert channel.name == kind and isinstance(channel.idempotent, bool)
    channel.close()
