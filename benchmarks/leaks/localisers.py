"""The localisers under test, each as a function from reports to a `locate`-shaped answer."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from benchmarks.leaks import networks
from benchmarks.leaks.baselines import Baseline
from statusmap.network.model import load_network

Locate = Callable[[dict[str, Any], int], dict[str, Any]]
KNOWN = ("ours", "A", "A2")


def build(kind: str, name: str) -> tuple[Locate, float]:
    """The localiser `kind` ready for network `name`, and its preparation time in seconds."""
    if kind in ("A", "A2"):
        started = time.perf_counter()
        baseline = Baseline(networks.load(name), networks.segments(name), median=kind == "A2")
        return baseline, time.perf_counter() - started
    if kind == "ours":
        return build_ours(name)
    raise SystemExit(f"unknown localiser {kind!r}: choose from {', '.join(KNOWN)}")


def build_ours(name: str) -> tuple[Locate, float]:
    """The engine's localiser, prepared once without a cache (that time is its preparation)."""
    try:
        from statusmap.network import localiser  # type: ignore[attr-defined,unused-ignore]
    except ImportError as error:
        raise SystemExit(
            f"statusmap.network.localiser is not there yet ({error}): run --localisers A,A2"
        ) from None
    path, factor = networks.network_source(name)
    network = load_network(path, factor)  # its own copy: the localiser may keep or change it
    started = time.perf_counter()
    prepared = localiser.prepare(network, networks.valve_layer(name), cache_dir=None)
    seconds = time.perf_counter() - started

    def locate(reports: dict[str, Any], top: int) -> dict[str, Any]:
        return dict(localiser.locate(prepared, reports, top=top))

    return locate, seconds
