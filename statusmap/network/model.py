"""A pipe network read from an EPANET .inp through wntr, with its geometry in metres.

Coordinates stay as the .inp has them (the network's own units); `units_to_m` turns them into
metres for every distance the engine computes. Pipe geometry is the drawn line: start node, the
pipe's vertices, end node. No Flask here: the engine runs from the command line and in benchmarks.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass
from dataclasses import field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import LineString
from shapely.geometry import Point


class NetworkError(ValueError):
    """A network that cannot be used, with a message a person can act on."""


@dataclass(frozen=True)
class Network:
    """A water network model and what the engine needs to know of its shape."""

    wn: Any  # wntr.network.WaterNetworkModel (wntr has no type hints)
    units_to_m: float
    digest: str  # the .inp's content and the factor: the key of anything prepared from it
    name: str = ""
    _lines: dict[str, LineString] = field(default_factory=dict, repr=False, compare=False)

    @property
    def pipe_names(self) -> list[str]:
        return list(self.wn.pipe_name_list)

    @property
    def junction_names(self) -> list[str]:
        return list(self.wn.junction_name_list)

    def node_xy(self, name: str) -> tuple[float, float]:
        """A node's position in the network's own coordinates."""
        x, y = self.wn.get_node(name).coordinates
        return float(x), float(y)

    def pipe_line(self, name: str) -> LineString:
        """The pipe as drawn (start node, vertices, end node), in the network's coordinates."""
        line = self._lines.get(name)
        if line is None:
            link = self.wn.get_link(name)
            points = [link.start_node.coordinates, *link.vertices, link.end_node.coordinates]
            if len(points) == 2 and points[0] == points[1]:
                points = [points[0], (points[0][0] + 1e-9, points[0][1])]
            line = LineString(points)
            self._lines[name] = line
        return line

    def pipe_length_m(self, name: str) -> float:
        """The drawn length in metres (the model's hydraulic length may differ)."""
        return float(self.pipe_line(name).length) * self.units_to_m

    def pipe_midpoint(self, name: str) -> tuple[float, float]:
        point = self.pipe_line(name).interpolate(0.5, normalized=True)
        return float(point.x), float(point.y)

    def base_demand(self, junction: str) -> float:
        """The junction's base demand (m³/s), summed over its demand categories."""
        node = self.wn.get_node(junction)
        return float(sum(d.base_value for d in node.demand_timeseries_list))

    @cached_property
    def junction_xy_m(self) -> np.ndarray:
        """Every junction's position in metres, in `junction_names` order."""
        xy = [self.node_xy(name) for name in self.junction_names]
        return np.asarray(xy, dtype=float).reshape(-1, 2) * self.units_to_m

    @cached_property
    def extent(self) -> tuple[float, float, float, float]:
        """(min x, min y, max x, max y) of all nodes and vertices, in the network's units."""
        xs: list[float] = []
        ys: list[float] = []
        for _name, node in self.wn.nodes():
            xs.append(node.coordinates[0])
            ys.append(node.coordinates[1])
        for name in self.pipe_names:
            for x, y in self.wn.get_link(name).vertices:
                xs.append(x)
                ys.append(y)
        return min(xs), min(ys), max(xs), max(ys)

    def distance_to_extent_m(self, x: float, y: float) -> float:
        """How far a point lies outside the network's extent, in metres (0 inside)."""
        x0, y0, x1, y1 = self.extent
        dx = max(x0 - x, 0.0, x - x1)
        dy = max(y0 - y, 0.0, y - y1)
        return math.hypot(dx, dy) * self.units_to_m

    def point_m(self, x: float, y: float) -> Point:
        return Point(x * self.units_to_m, y * self.units_to_m)


def load_network(path: str | Path, units_to_m: float = 1.0) -> Network:
    """Read an EPANET .inp; any reason it cannot be read becomes a `NetworkError`."""
    path = Path(path)
    if not math.isfinite(units_to_m) or units_to_m <= 0:
        raise NetworkError(f"--units-to-m must be a positive number, not {units_to_m}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise NetworkError(f"cannot read the network file {path}: {error.strerror}") from None
    import wntr  # heavy: only the commands that need a network load it

    logging.getLogger("wntr").setLevel(logging.ERROR)
    try:
        wn = wntr.network.WaterNetworkModel(str(path))
    except Exception as error:  # wntr raises many kinds; all mean "not a usable .inp"
        raise NetworkError(f"{path} is not a readable EPANET .inp file: {error}") from None
    if wn.num_pipes == 0 or wn.num_junctions == 0:
        raise NetworkError(f"{path} has no pipes or no junctions")
    digest = hashlib.sha256(data + f"|{units_to_m!r}".encode()).hexdigest()
    return Network(wn=wn, units_to_m=float(units_to_m), digest=digest, name=path.stem)


def bundled_network_path(name: str) -> Path:
    """The path of one of wntr's bundled networks (ky4, ky10, Net1, ...)."""
    import wntr

    path = Path(wntr.__file__).parent / "library" / "networks" / f"{name}.inp"
    if not path.exists():
        raise NetworkError(f"wntr ships no network called {name}")
    return path
