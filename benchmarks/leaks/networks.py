"""The benchmark's networks (to scale), their fixed valve layers and valve segments."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from statusmap.network.model import Network
from statusmap.network.model import bundled_network_path
from statusmap.network.model import load_network

ROOT = Path(__file__).resolve().parents[2]
FEET = 0.3048
VALVE_SEED = 11  # one fixed strategic N-2 layer per network, the same for every localiser


def network_source(name: str) -> tuple[Path, float]:
    """A benchmark network's .inp path and its factor from coordinate units to metres."""
    if name in ("ky4", "ky10"):
        return bundled_network_path(name), FEET
    if name == "demo":
        return ROOT / "gis_data" / "demo" / "network.inp", 1.0
    raise ValueError(f"unknown benchmark network {name!r} (ky4, ky10, demo)")


NETWORK_NAMES = ("ky4", "ky10", "demo")


def name_code(name: str) -> int:
    """A stable number for a network's name, part of every scenario's random seed."""
    return zlib.crc32(name.encode())


@cache
def load(name: str) -> Network:
    """The unperturbed network, as a localiser sees it (loaded once per process)."""
    path, factor = network_source(name)
    network = load_network(path, factor)
    object.__setattr__(network, "name", name)
    return network


@dataclass(frozen=True)
class Segments:
    """Valve segments: the segment of every link, the links and valves of every segment."""

    of_link: dict[str, str]
    links: dict[str, list[str]]
    valves: dict[str, list[tuple[str, str]]]


@cache
def valve_layer(name: str) -> list[tuple[str, str]]:
    """The strategic N-2 valve layer on the unperturbed model, as (link, node) pairs."""
    import wntr

    layer = wntr.network.generate_valve_layer(load(name).wn, "strategic", 2, seed=VALVE_SEED)
    return [(str(row.link), str(row.node)) for row in layer.itertuples()]


@cache
def segments(name: str) -> Segments:
    """wntr's valve segments for the network's valve layer."""
    import pandas as pd
    import wntr

    valves = valve_layer(name)
    frame = pd.DataFrame(valves, columns=["link", "node"])
    graph = load(name).wn.to_graph()
    node_seg, link_seg, _size = wntr.metrics.topographic.valve_segments(graph, frame)
    of_link = {str(k): str(v) for k, v in link_seg.items()}
    of_node = {str(k): str(v) for k, v in node_seg.items()}
    links: dict[str, list[str]] = {}
    for link, seg in of_link.items():
        links.setdefault(seg, []).append(link)
    bounded: dict[str, list[tuple[str, str]]] = {seg: [] for seg in links}
    for link, node in valves:
        for seg in {of_link[link], of_node[node]}:
            bounded.setdefault(seg, []).append((link, node))
    return Segments(of_link=of_link, links=links, valves=bounded)


def write_valves_csv(name: str, path: Path) -> Path:
    """The valve layer in wntr's `link,node` CSV, for `statusmap locate --valves`."""
    rows = ["link,node", *(f"{link},{node}" for link, node in valve_layer(name))]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path
