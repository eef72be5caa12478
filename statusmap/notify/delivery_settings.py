"""The delivery settings (WORKER_*, SMS_*, VOICE_*, EMAIL_PROVIDER, WEBHOOK_PROVIDER): defaults
and the checks that refuse, at start, what could not send.

The channel providers themselves are built by `channels.registry`; here only their names and
the settings each needs are checked (a provider module that is missing is found without
importing it, so web workers pay nothing for the worker's channels).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DELIVERY_DEFAULTS: dict[str, Any] = {
    # Provider requests one worker keeps in flight at once (threads), and how many messages it
    # claims at a time (0: four times the concurrency, so sends never wait for the database).
    "WORKER_CONCURRENCY": 8,
    "WORKER_BATCH_SIZE": 0,
    # A claimed message is the worker's for this long; after it, any worker recovers it.
    "WORKER_LEASE_S": 120,
    # Attempts per message before it fails; the first retry after about WORKER_BACKOFF_S,
    # doubling each time up to WORKER_BACKOFF_MAX_S, with random jitter.
    "WORKER_MAX_ATTEMPTS": 6,
    "WORKER_BACKOFF_S": 30.0,
    "WORKER_BACKOFF_MAX_S": 3600.0,
    # Seconds an idle worker sleeps before it looks for work again.
    "WORKER_POLL_S": 2.0,
    # SMS and voice: log (development), generic_json (a documented JSON POST), or a provider.
    "SMS_PROVIDER": "log",
    "SMS_URL": "",
    "SMS_TOKEN": "",
    "SMS_TIMEOUT_S": 10.0,
    "VOICE_PROVIDER": "log",
    "VOICE_URL": "",
    "VOICE_TOKEN": "",
    "VOICE_TIMEOUT_S": 10.0,
    # E-mail and webhooks: log, or the providers of the channels helper (smtp, webhook).
    "EMAIL_PROVIDER": "log",
    "WEBHOOK_PROVIDER": "log",
}

# Providers whose modules this package owns, and those added by name (statusmap.notify.channels.
# <module>, each with `from_config(config) -> Channel`): imported only by the worker.
BUILT_IN = ("log", "generic_json")
JSON_KINDS = ("sms", "voice")  # the kinds with <KIND>_URL, _TOKEN and _TIMEOUT_S settings
PROVIDER_MODULES: dict[str, dict[str, str]] = {
    "sms": {"target365": "target365", "link_mobility": "link_mobility"},
    "voice": {"voice": "voice"},
    "email": {"smtp": "smtp"},
    "webhook": {"webhook": "webhook"},
}
CHANNEL_KINDS = tuple(PROVIDER_MODULES)


class DeliveryConfigError(ValueError):
    """A delivery setting that cannot work; the message names it."""


@dataclass(frozen=True)
class WorkerSettings:
    """How one worker claims, sends and retries."""

    concurrency: int = 8
    batch_size: int = 16
    lease_s: float = 120.0
    max_attempts: int = 6
    backoff_s: float = 30.0
    backoff_max_s: float = 3600.0
    poll_s: float = 2.0


def _number(config: Mapping[str, Any], key: str, least: float, whole: bool = False) -> Any:
    value = config[key]
    kinds = int if whole else int | float
    if isinstance(value, bool) or not isinstance(value, kinds) or value < least:
        what = "a whole number" if whole else "a number"
        raise DeliveryConfigError(f"STATUSMAP_{key} must be {what} >= {least}, got {value!r}")
    return value


def worker_settings(config: Mapping[str, Any]) -> WorkerSettings:
    """The worker's settings from the configuration; refuse what cannot work."""
    concurrency = _number(config, "WORKER_CONCURRENCY", 1, whole=True)
    batch = _number(config, "WORKER_BATCH_SIZE", 0, whole=True) or 4 * concurrency
    return WorkerSettings(
        concurrency=concurrency,
        batch_size=batch,
        lease_s=float(_number(config, "WORKER_LEASE_S", 1)),
        max_attempts=_number(config, "WORKER_MAX_ATTEMPTS", 1, whole=True),
        backoff_s=float(_number(config, "WORKER_BACKOFF_S", 0)),
        backoff_max_s=float(_number(config, "WORKER_BACKOFF_MAX_S", 0)),
        poll_s=float(_number(config, "WORKER_POLL_S", 0.01)),
    )


def provider_setting(kind: str) -> str:
    """The setting that names a channel kind's provider: SMS_PROVIDER, EMAIL_PROVIDER, ..."""
    return f"{kind.upper()}_PROVIDER"


def provider_module(kind: str, provider: str) -> str | None:
    """The module of a provider added by name, None for a built-in one; refuse an unknown one."""
    setting = provider_setting(kind)
    built_in = BUILT_IN if kind in JSON_KINDS else BUILT_IN[:1]
    if provider in built_in:
        return None
    module = PROVIDER_MODULES[kind].get(provider)
    if module is None:
        known = ", ".join((*built_in, *PROVIDER_MODULES[kind]))
        raise DeliveryConfigError(f"STATUSMAP_{setting} must be one of {known}, got {provider!r}")
    return f"statusmap.notify.channels.{module}"


def _check_provider(config: Mapping[str, Any], kind: str) -> None:
    setting = provider_setting(kind)
    provider = config[setting]
    module = provider_module(kind, provider)
    if module is not None and importlib.util.find_spec(module) is None:
        raise DeliveryConfigError(
            f"STATUSMAP_{setting}={provider} needs the module {module}, which is not installed"
        )
    if provider == "generic_json":
        prefix = kind.upper()
        url = str(config.get(f"{prefix}_URL") or "")
        if not url.startswith(("https://", "http://")):
            raise DeliveryConfigError(
                f"STATUSMAP_{prefix}_URL must be the gateway's http(s) URL with"
                f" STATUSMAP_{setting}=generic_json, got {url!r}"
            )
        _number(config, f"{prefix}_TIMEOUT_S", 0.01)


def check_delivery_settings(config: Mapping[str, Any]) -> None:
    """Refuse at start the delivery settings that cannot work."""
    worker_settings(config)
    for kind in CHANNEL_KINDS:
        _check_provider(config, kind)
