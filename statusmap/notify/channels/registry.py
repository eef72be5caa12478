"""The channels a worker sends through, built from the settings: one per kind of message.

    sms      STATUSMAP_SMS_PROVIDER      log | generic_json | target365 | link_mobility
    voice    STATUSMAP_VOICE_PROVIDER    log | generic_json | voice
    email    STATUSMAP_EMAIL_PROVIDER    log | smtp
    webhook  STATUSMAP_WEBHOOK_PROVIDER  log | webhook

`log` and `generic_json` live here. Every other provider is a module of this package named in
`delivery_settings.PROVIDER_MODULES` (target365, link_mobility, voice, smtp, webhook: the real
providers' channels) exposing `from_config(config) -> Channel`; it is imported only when chosen,
so a missing one fails with a DeliveryConfigError naming the setting. Messages of kind `log`
always go to the log.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from statusmap.notify.channels import generic_json
from statusmap.notify.channels.base import Channel
from statusmap.notify.channels.log import LogChannel
from statusmap.notify.delivery_settings import CHANNEL_KINDS
from statusmap.notify.delivery_settings import DeliveryConfigError
from statusmap.notify.delivery_settings import provider_module
from statusmap.notify.delivery_settings import provider_setting


def _provided(config: Mapping[str, Any], kind: str, connections: int) -> Channel:
    setting = provider_setting(kind)
    provider = config[setting]
    module_name = provider_module(kind, provider)
    if module_name is None:
        if provider == "generic_json":
            return generic_json.from_config(config, kind, connections)
        return LogChannel(kind)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise DeliveryConfigError(
            f"STATUSMAP_{setting}={provider} needs the module {module_name}: {exc}"
        ) from exc
    build = getattr(module, "from_config", None)
    if build is None:
        raise DeliveryConfigError(
            f"STATUSMAP_{setting}={provider}: {module_name} has no from_config(config)"
        )
    channel: Channel = build(config)
    return channel


def build_channels(config: Mapping[str, Any], connections: int = 16) -> dict[str, Channel]:
    """Every kind's channel from the settings (`connections`: HTTP connections per gateway)."""
    channels = {kind: _provided(config, kind, connections) for kind in CHANNEL_KINDS}
    channels["log"] = LogChannel("log")
    return channels


def close_channels(channels: Mapping[str, Channel]) -> None:
    """Close the channels that hold connections (HTTP clients, SMTP sessions)."""
    for channel in channels.values():
        close = getattr(channel, "close", None)
        if close is not None:
            close()
