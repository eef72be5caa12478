"""Build the synthetic DEMO municipality used by statusmap.

Everything this script produces is fictitious: streets, addresses, vulnerable
subscribers, the water network and the incidents are generated from a fixed
random seed. Only the location is real. The town is placed around Gran,
Hadeland, centred near E 586000, N 6692500 in EUREF89 UTM zone 32N (EPSG:25832).

Run from the repository root:

    .venv/bin/python gis_data/build_demo.py

The script (re)writes gis_data/demo/, checks the result (geometry, counts,
an EPANET run with demand-driven and pressure-driven demand) and prints a
summary. Re-running it produces byte-identical files.
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import warnings
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from itertools import pairwise
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import wntr
from scipy.spatial import cKDTree
from shapely.geometry import LineString
from shapely.geometry import MultiPolygon
from shapely.geometry import Point
from shapely.geometry import Polygon
from shapely.geometry import mapping
from shapely.geometry.polygon import orient
from shapely.ops import substring
from shapely.ops import unary_union

SEED = 25832
VALVE_SEED = 2770
OUT_DIR = Path(__file__).resolve().parent / "demo"

CENTRE_E = 586000.0
CENTRE_N = 6692500.0
GRID_ROTATION = math.radians(10.0)
CRS_MEMBER = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}

# Street grid in local town coordinates (metres, x east / y north before rotation).
# A piece is (first cross-line index, last cross-line index, street name).
NS_OFFSETS = (-980.0, -740.0, -500.0, -250.0, 0.0, 250.0, 500.0, 750.0, 990.0)
EW_OFFSETS = (-930.0, -690.0, -450.0, -210.0, 40.0, 290.0, 540.0, 790.0, 1010.0)
NS_PIECES: tuple[tuple[tuple[int, int, str], ...], ...] = (
    ((2, 6, "Skogvegen"),),
    ((1, 7, "Furuvegen"),),
    ((0, 3, "Bjørkeveien"), (5, 8, "Lønneveien")),
    ((0, 4, "Rognevegen"), (4, 8, "Eikeveien")),
    ((0, 8, "Kirkevegen"),),
    ((0, 4, "Stasjonsvegen"), (4, 8, "Postvegen")),
    ((0, 5, "Sagvegen"), (5, 8, "Tømmervegen")),
    ((1, 7, "Kløvervegen"),),
    ((2, 5, "Blåbærvegen"),),
)
EW_PIECES: tuple[tuple[tuple[int, int, str], ...], ...] = (
    ((2, 6, "Tunvegen"),),
    ((1, 7, "Myrvegen"),),
    ((0, 4, "Engvegen"), (4, 8, "Åkervegen")),
    ((0, 4, "Skolegata"), (6, 8, "Bekkevegen")),
    ((0, 8, "Storgata"),),
    ((0, 5, "Møllegata"), (5, 8, "Elvegata")),
    ((0, 3, "Kvernvegen"), (3, 7, "Smievegen")),
    ((1, 7, "Bakkevegen"),),
    ((2, 6, "Høgdavegen"),),
)
# Curved and diagonal streets. Anchors: ("grid", i, j) = grid crossing,
# ("on", street, x, y) = point on a street nearest to (x, y), ("free", x, y).
CURVES: tuple[tuple[str, tuple, tuple[tuple[float, float], ...], tuple], ...] = (
    ("Bygdevegen", ("free", -1250, -1150), ((-350, -300), (250, 550)), ("free", 1200, 1300)),
    (
        "Granlia",
        ("on", "Høgdavegen", -300, 1010),
        ((-330, 1280), (130, 1280)),
        ("on", "Høgdavegen", 100, 1010),
    ),
    (
        "Solbakken",
        ("on", "Tunvegen", -150, -930),
        ((-150, -1120), (-300, -1230)),
        ("free", -470, -1260),
    ),
    (
        "Løvåsen",
        ("on", "Blåbærvegen", 990, -330),
        ((1150, -330), (1230, -170)),
        ("free", 1300, -60),
    ),
    ("Fjellvegen", ("grid", 0, 6), ((-960, 800),), ("grid", 1, 7)),
    ("Lyngvegen", ("grid", 7, 1), ((990, -690),), ("grid", 8, 2)),
    # Short cul-de-sacs into the larger blocks.
    ("Hagevegen", ("on", "Furuvegen", -740, -330), ((-650, -350),), ("free", -560, -310)),
    ("Lia", ("on", "Lønneveien", -500, 665), ((-420, 640),), ("free", -330, 690)),
    ("Løkka", ("on", "Sagvegen", 500, -80), ((590, -100),), ("free", 680, -60)),
    ("Kroken", ("on", "Myrvegen", -125, -690), ((-150, -600),), ("free", -110, -510)),
    ("Enga", ("on", "Kløvervegen", 750, 165), ((840, 140),), ("free", 930, 180)),
    ("Nyjordet", ("on", "Tunvegen", -375, -930), ((-350, -840),), ("free", -380, -760)),
)
TRUNK_STREETS = frozenset({"Storgata", "Kirkevegen", "Bygdevegen"})
# fmt: off
MAIN_STREETS = frozenset({
    "Engvegen", "Åkervegen", "Smievegen", "Kvernvegen", "Bjørkeveien", "Lønneveien",
    "Sagvegen", "Tømmervegen", "Myrvegen", "Bakkevegen",
})
MATERIAL_ROUGHNESS = {
    "PE100": (135, 140), "PVC": (135, 140),
    "duktilt støpejern": (125, 132), "støpejern": (120, 126),
}

RESERVOIR_LOCAL = (-1550.0, 1250.0)
RESERVOIR_HEAD = 320.0
TANK_LOCAL = (1350.0, -1150.0)
MAX_PIPE_LENGTH = 130.0
LPS_PER_DWELLING = 0.004
# Hourly demand multipliers (mean 1.0), morning peak at 07:00.
DIURNAL = (0.50, 0.40, 0.38, 0.38, 0.50, 0.75, 1.35, 1.80, 1.55, 1.25, 1.15, 1.10,
           1.10, 1.05, 1.00, 1.00, 1.10, 1.25, 1.40, 1.35, 1.20, 1.00, 0.80, 0.64)
# fmt: on
PEAK_SECONDS = 7 * 3600

ADDRESS_COLUMNS = (
    "lokalid;kommunenummer;kommunenavn;adressetype;adressekode;adressenavn;nummer;bokstav;"
    "adresseTekst;EPSG-kode;Nord;Øst;postnummer;poststed;bruksenheter"
)


@dataclass(frozen=True)
class Street:
    name: str
    line: LineString


@dataclass
class Address:
    street: str
    number: int
    letter: str
    x: float
    y: float
    dwellings: int = 1
    lokalid: int = 0
    code: int = 0


@dataclass
class Edge:
    street: str
    start: int
    end: int
    coords: list[tuple[float, float]]


@dataclass
class PipeRecord:
    id: str
    start: str
    end: str
    coords: list[tuple[float, float]]
    diameter_mm: int
    roughness: int
    material: str

    @property
    def length(self) -> float:
        return round(LineString(self.coords).length, 2)


@dataclass
class Town:
    streets: list[Street]
    boundary: Polygon
    addresses: list[Address] = field(default_factory=list)


# --------------------------------------------------------------------------- geometry helpers


def to_world(x: float, y: float) -> tuple[float, float]:
    """Local town coordinates -> EPSG:25832, rounded to centimetres."""
    c, s = math.cos(GRID_ROTATION), math.sin(GRID_ROTATION)
    return round(CENTRE_E + x * c - y * s, 2), round(CENTRE_N + x * s + y * c, 2)


def to_local(e: float, n: float) -> tuple[float, float]:
    c, s = math.cos(GRID_ROTATION), math.sin(GRID_ROTATION)
    de, dn = e - CENTRE_E, n - CENTRE_N
    return de * c + dn * s, -de * s + dn * c


def rounded(coords: Any) -> list[tuple[float, float]]:
    return [(round(x, 2), round(y, 2)) for x, y in coords]


def points_of(geom: Any) -> list[Point]:
    if geom.is_empty:
        return []
    if isinstance(geom, Point):
        return [geom]
    assert geom.geom_type == "MultiPoint", f"streets overlap: {geom.geom_type}"
    return list(geom.geoms)


def bezier(ctrl: list[tuple[float, float]], step: float = 15.0) -> list[tuple[float, float]]:
    pts = np.asarray(ctrl, dtype=float)
    n = len(pts) - 1
    approx = float(np.sum(np.hypot(*np.diff(pts, axis=0).T)))
    ts = np.linspace(0.0, 1.0, max(8, int(approx / step)))
    weights = [math.comb(n, k) * ts**k * (1 - ts) ** (n - k) for k in range(n + 1)]
    curve = sum(w[:, None] * p for w, p in zip(weights, pts, strict=True))
    return [(float(x), float(y)) for x, y in curve]


def frame(line: LineString, d: float) -> tuple[float, float, float, float]:
    """Point at distance d and the unit normal pointing to the left of the line."""
    p = line.interpolate(d)
    a = line.interpolate(max(d - 2.0, 0.0))
    b = line.interpolate(min(d + 2.0, line.length))
    tx, ty = b.x - a.x, b.y - a.y
    norm = math.hypot(tx, ty)
    return p.x, p.y, -ty / norm, tx / norm


def finish_polygon(geom: Any, grid_size: float = 0.1) -> Polygon | MultiPolygon:
    """Snap to a precision grid, orient exteriors counter-clockwise and check validity."""
    geom = shapely.set_precision(geom, grid_size)
    if isinstance(geom, MultiPolygon):
        geom = MultiPolygon([orient(p, 1.0) for p in geom.geoms])
    else:
        geom = orient(geom, 1.0)
    assert geom.is_valid and not geom.is_empty
    return geom


def terrain(e: float, n: float) -> float:
    """Smooth synthetic ground elevation (m): slope up to the north-west, two hills."""
    de, dn = e - CENTRE_E, n - CENTRE_N
    z = 262.0 + 0.018 * (dn - de) / math.sqrt(2) + 4.0 * math.sin(de / 380) * math.cos(dn / 450)
    for (hx, hy), height, sigma in ((TANK_LOCAL, 70.0, 350.0), (RESERVOIR_LOCAL, 22.0, 300.0)):
        he, hn = to_world(hx, hy)
        z += height * math.exp(-((e - he) ** 2 + (n - hn) ** 2) / (2 * sigma**2))
    return round(z, 2)


# --------------------------------------------------------------------------- streets


def wavy_line(axis: str, offset: float, rng: np.random.Generator) -> LineString:
    """A full-length, gently waving grid line (south->north or west->east)."""
    amp, wavelength = rng.uniform(4, 16), rng.uniform(900, 1900)
    phase, jitter = rng.uniform(0, 2 * math.pi), rng.uniform(-15, 15)
    ts = np.arange(-1150.0, 1151.0, 25.0)
    ws = offset + jitter + amp * np.sin(2 * math.pi * ts / wavelength + phase)
    local = [(w, t) if axis == "ns" else (t, w) for t, w in zip(ts, ws, strict=True)]
    return LineString([to_world(float(x), float(y)) for x, y in local])


def cut_piece(line: LineString, a: Point, b: Point) -> LineString:
    part = substring(line, line.project(a), line.project(b))
    coords = rounded(part.coords)
    coords[0], coords[-1] = rounded([a.coords[0], b.coords[0]])
    return LineString(coords)


def build_grid(rng: np.random.Generator) -> tuple[list[Street], dict[tuple[int, int], Point]]:
    ns = [wavy_line("ns", off, rng) for off in NS_OFFSETS]
    ew = [wavy_line("ew", off, rng) for off in EW_OFFSETS]
    grid = {
        (i, j): points_of(ns[i].intersection(ew[j]))[0]
        for i in range(len(ns))
        for j in range(len(ew))
    }
    streets = []
    for i, pieces in enumerate(NS_PIECES):
        for j0, j1, name in pieces:
            streets.append(Street(name, cut_piece(ns[i], grid[i, j0], grid[i, j1])))
    for j, pieces in enumerate(EW_PIECES):
        for i0, i1, name in pieces:
            streets.append(Street(name, cut_piece(ew[j], grid[i0, j], grid[i1, j])))
    return streets, grid


def resolve_anchor(anchor: tuple, streets: list[Street], grid: dict) -> tuple[float, float]:
    kind = anchor[0]
    if kind == "grid":
        return rounded(grid[anchor[1], anchor[2]].coords)[0]
    if kind == "free":
        return to_world(anchor[1], anchor[2])
    line = next(s.line for s in streets if s.name == anchor[1])
    target = Point(to_world(anchor[2], anchor[3]))
    return rounded(line.interpolate(line.project(target)).coords)[0]


def build_streets(rng: np.random.Generator) -> tuple[list[Street], dict[tuple[int, int], Point]]:
    streets, grid = build_grid(rng)
    for name, start, ctrl, end in CURVES:
        a = resolve_anchor(start, streets, grid)
        b = resolve_anchor(end, streets, grid)
        pts = bezier([a, *(to_world(x, y) for x, y in ctrl), b])
        streets.append(Street(name, LineString([a, *rounded(pts[1:-1]), b])))
    names = [s.name for s in streets]
    assert len(names) == len(set(names)), "street names must be unique"
    return streets, grid


def build_boundary(rng: np.random.Generator) -> Polygon:
    """Irregular, star-shaped municipality outline of roughly 5.2 km x 4.3 km."""
    theta = np.linspace(0.0, 2 * math.pi, 96, endpoint=False)
    radius = np.ones_like(theta)
    for k in range(2, 7):
        radius += rng.uniform(0.01, 0.07 / k**0.5) * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
    radius *= 1.0 + rng.uniform(-0.012, 0.012, theta.size)
    pts = [
        (CENTRE_E + 2600 * r * math.cos(t), CENTRE_N + 2150 * r * math.sin(t))
        for r, t in zip(radius, theta, strict=True)
    ]
    return finish_polygon(Polygon(rounded(pts)), 0.01)


# --------------------------------------------------------------------------- addresses


def side_addresses(
    street: Street, side: int, all_streets: Any, rng: np.random.Generator
) -> list[Address]:
    """Addresses on one side of a street: odd numbers left (side=1), even right (side=-1)."""
    line, out = street.line, []
    number, d = (1 if side > 0 else 2), rng.uniform(6, 18)
    while d < line.length - 6:
        x, y, nx, ny = frame(line, d)
        offset, split = rng.uniform(10, 15), rng.random() < 0.015
        depths = (offset, offset + 14.0) if split else (offset,)
        pts = [(x + side * o * nx, y + side * o * ny) for o in depths]
        if all(all_streets.distance(Point(p)) >= 9.5 for p in pts):
            letters = ("A", "B") if split else ("",)
            out += [
                Address(street.name, number, letter, round(px, 2), round(py, 2))
                for letter, (px, py) in zip(letters, pts, strict=True)
            ]
            number += 2
        d += rng.uniform(13, 24)
    return out


def thin_addresses(addresses: list[Address], min_gap: float = 7.0) -> list[Address]:
    """Drop the later of any two addresses closer than min_gap (street corners)."""
    pts = np.array([(a.x, a.y) for a in addresses])
    pairs = cKDTree(pts).query_pairs(min_gap, output_type="ndarray")
    drop = {int(max(i, j)) for i, j in pairs}
    return [a for k, a in enumerate(addresses) if k not in drop]


def assign_dwellings(addresses: list[Address], rng: np.random.Generator) -> None:
    """Mostly detached houses, some semi-detached/row houses, blocks of flats near the centre."""
    for a in addresses:
        lx, ly = to_local(a.x, a.y)
        block_share = 0.07 if math.hypot(lx, ly) < 450 else 0.015
        r = rng.random()
        if r < block_share:
            a.dwellings = int(rng.integers(6, 41))
        elif r < block_share + 0.10:
            a.dwellings = 2
        elif r < block_share + 0.14:
            a.dwellings = 3
        elif r < block_share + 0.17:
            a.dwellings = 4


def build_addresses(streets: list[Street], rng: np.random.Generator) -> list[Address]:
    all_streets = unary_union([s.line for s in streets])
    raw = [
        a for s in streets for side in (1, -1) for a in side_addresses(s, side, all_streets, rng)
    ]
    addresses = thin_addresses(raw)
    codes = {
        s.name: 1010 + 10 * k
        for k, s in enumerate(sorted(streets, key=lambda s: nb_sort_key(s.name)))
    }
    addresses.sort(key=lambda a: (codes[a.street], a.number, a.letter))
    for k, a in enumerate(addresses):
        a.code, a.lokalid = codes[a.street], 990_000_001 + k
    assign_dwellings(addresses, rng)
    return addresses


def nb_sort_key(name: str) -> str:
    """Sort key following the Norwegian alphabet (... X Y Z Æ Ø Å)."""
    return name.translate(str.maketrans("ÆØÅæøå", "{|}{|}"))


def postal_area(a: Address) -> tuple[str, str]:
    return ("2770", "JAREN") if to_local(a.x, a.y)[1] < -320 else ("2750", "GRAN")


# --------------------------------------------------------------------------- water network


class NodeRegistry:
    """Junction locations shared by all streets; points closer than `tol` metres are merged."""

    def __init__(self, tol: float = 1.0) -> None:
        self.tol = tol
        self.coords: list[tuple[float, float]] = []
        self._cells: dict[tuple[int, int], list[int]] = {}

    def get(self, x: float, y: float) -> int:
        cx, cy = int(x // 10), int(y // 10)
        for key in ((cx + i, cy + j) for i in (-1, 0, 1) for j in (-1, 0, 1)):
            for idx in self._cells.get(key, []):
                px, py = self.coords[idx]
                if math.hypot(px - x, py - y) < self.tol:
                    return idx
        self.coords.append((round(x, 2), round(y, 2)))
        self._cells.setdefault((cx, cy), []).append(len(self.coords) - 1)
        return len(self.coords) - 1


def split_distances(street: Street, streets: list[Street]) -> list[float]:
    """Distances along a street to its ends and to every crossing or T-junction."""
    line = street.line
    dists = [0.0, line.length]
    for other in streets:
        if other is street:
            continue
        dists += [line.project(p) for p in points_of(line.intersection(other.line))]
        ends = (Point(other.line.coords[0]), Point(other.line.coords[-1]))
        dists += [line.project(p) for p in ends if line.distance(p) < 0.5]
    dists.sort()
    cuts = [dists[0]]
    cuts += [d for prev, d in pairwise(dists) if d - prev > 1.0]
    cuts[-1] = line.length
    return cuts


def dedupe(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [c for k, c in enumerate(coords) if k == 0 or c != coords[k - 1]]


def street_edges(street: Street, cuts: list[float], reg: NodeRegistry) -> list[Edge]:
    """Split a street into pipes of at most MAX_PIPE_LENGTH that follow its geometry."""
    line = street.line
    stations: list[float] = []
    for d0, d1 in pairwise(cuts):
        n = max(1, math.ceil((d1 - d0) / MAX_PIPE_LENGTH))
        stations += [d0 + (d1 - d0) * k / n for k in range(n)]
    stations.append(cuts[-1])
    nodes = [reg.get(*line.interpolate(d).coords[0]) for d in stations]
    edges = []
    for (da, db), (na, nb) in zip(pairwise(stations), pairwise(nodes), strict=True):
        inner = rounded(substring(line, da, db).coords)[1:-1]
        coords = dedupe([reg.coords[na], *inner, reg.coords[nb]])
        edges.append(Edge(street.name, na, nb, coords))
    return edges


def build_edges(streets: list[Street]) -> tuple[list[Edge], NodeRegistry]:
    reg = NodeRegistry()
    edges: list[Edge] = []
    seen: set[frozenset[int]] = set()
    for street in streets:
        for edge in street_edges(street, split_distances(street, streets), reg):
            key = frozenset((edge.start, edge.end))
            if edge.start != edge.end and key not in seen:
                seen.add(key)
                edges.append(edge)
    return edges, reg


def street_pipe_specs(streets: list[Street], rng: np.random.Generator) -> dict[str, tuple]:
    """Diameter (mm) and material per street: one laying campaign per street."""
    specs = {}
    for s in streets:
        if s.name in TRUNK_STREETS:
            dia, mats, p = (225, 250), ("duktilt støpejern", "PE100"), (0.6, 0.4)
        elif s.name in MAIN_STREETS:
            dia, mats, p = (160, 200), ("PE100", "PVC", "støpejern"), (0.5, 0.25, 0.25)
        else:
            dia, mats, p = (110, 125, 160), ("PE100", "PVC", "støpejern"), (0.55, 0.25, 0.2)
        weights = (0.45, 0.35, 0.2) if len(dia) == 3 else (0.5, 0.5)
        specs[s.name] = (int(rng.choice(dia, p=weights)), str(rng.choice(mats, p=p)))
    return specs


def street_pipes(
    edges: list[Edge], specs: dict[str, tuple], rng: np.random.Generator
) -> list[PipeRecord]:
    pipes = []
    for k, e in enumerate(edges, start=1):
        diameter, material = specs[e.street]
        lo, hi = MATERIAL_ROUGHNESS[material]
        rough = int(rng.integers(lo, hi + 1))
        pipes.append(
            PipeRecord(
                f"P{k}", f"J{e.start + 1}", f"J{e.end + 1}", e.coords, diameter, rough, material
            )
        )
    return pipes


def trunk_mains(reg: NodeRegistry, first: int) -> list[PipeRecord]:
    """Transmission mains (no service connections) from the reservoir and the tank."""
    tree = cKDTree(reg.coords)
    mains = []
    for k, (src, local, ctrl, dia) in enumerate(
        (
            ("R1", RESERVOIR_LOCAL, (-1150.0, 1150.0), 300),
            ("T1", TANK_LOCAL, (1150.0, -850.0), 250),
        )
    ):
        start = to_world(*local)
        j = int(tree.query(start)[1])
        coords = rounded(bezier([start, to_world(*ctrl), reg.coords[j]], step=40.0))
        coords[-1] = reg.coords[j]
        mains.append(
            PipeRecord(f"P{first + k}", src, f"J{j + 1}", coords, dia, 130, "duktilt støpejern")
        )
    return mains


def junction_dwellings(reg: NodeRegistry, addresses: list[Address]) -> np.ndarray:
    """Dwellings served by each junction: every address is connected to its nearest junction."""
    _, idx = cKDTree(reg.coords).query([(a.x, a.y) for a in addresses])
    dwellings = np.zeros(len(reg.coords), dtype=int)
    np.add.at(dwellings, idx, [a.dwellings for a in addresses])
    return dwellings


def set_options(wn: wntr.network.WaterNetworkModel) -> None:
    wn.options.hydraulic.headloss = "H-W"
    wn.options.hydraulic.inpfile_units = "LPS"
    wn.options.time.duration = 24 * 3600
    wn.options.time.hydraulic_timestep = 3600
    wn.options.time.pattern_timestep = 3600
    wn.options.time.report_timestep = 3600


def add_sources(wn: wntr.network.WaterNetworkModel) -> None:
    """Reservoir (water works, head 320 m) and a tank (høydebasseng) on the hill."""
    wn.add_reservoir("R1", base_head=RESERVOIR_HEAD, coordinates=to_world(*RESERVOIR_LOCAL))
    te, tn = to_world(*TANK_LOCAL)
    elevation = round(terrain(te, tn), 1)
    max_level = round(RESERVOIR_HEAD - 0.5 - elevation, 1)
    wn.add_tank(
        "T1",
        elevation=elevation,
        init_level=max_level - 1.0,
        min_level=2.0,
        max_level=max_level,
        diameter=14.0,
        coordinates=(te, tn),
    )


def build_network(
    reg: NodeRegistry, pipes: list[PipeRecord], addresses: list[Address]
) -> wntr.network.WaterNetworkModel:
    wn = wntr.network.WaterNetworkModel()
    wn.title = [
        "DEMO kommune (9999) - SYNTHETIC water network generated by build_demo.py",
        "Fictitious network; coordinates EPSG:25832; units LPS; headloss H-W",
    ]
    assert math.isclose(sum(DIURNAL), 24.0) and DIURNAL.index(max(DIURNAL)) == 7
    wn.add_pattern("DIURNAL", list(DIURNAL))
    for k, ((x, y), dw) in enumerate(
        zip(reg.coords, junction_dwellings(reg, addresses), strict=True)
    ):
        wn.add_junction(
            f"J{k + 1}",
            base_demand=dw * LPS_PER_DWELLING / 1000.0,
            demand_pattern="DIURNAL",
            elevation=terrain(x, y),
            coordinates=(x, y),
        )
    add_sources(wn)
    for p in pipes:
        wn.add_pipe(
            p.id,
            p.start,
            p.end,
            length=p.length,
            diameter=p.diameter_mm / 1000.0,
            roughness=p.roughness,
        )
        wn.get_link(p.id).vertices = [list(c) for c in p.coords[1:-1]]
    set_options(wn)
    return wn


def simulate(inp: Path, pdd: bool) -> pd.Series:
    """Junction pressures (m) at the 07:00 peak from an EPANET run of the written file."""
    wn = wntr.network.WaterNetworkModel(str(inp))
    if pdd:
        wn.options.hydraulic.demand_model = "PDD"
        wn.options.hydraulic.required_pressure = 15.0
        wn.options.hydraulic.minimum_pressure = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        results = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(Path(tmp) / "demo"))
    return results.node["pressure"].loc[PEAK_SECONDS, wn.junction_name_list]


def valve_layer(inp: Path, pipes: list[PipeRecord]) -> tuple[pd.DataFrame, list[dict]]:
    """Strategic N-2 valve layer and valve points 3 m from the node along the pipe."""
    wn = wntr.network.WaterNetworkModel(str(inp))
    layer = wntr.network.generate_valve_layer(wn, "strategic", 2, seed=VALVE_SEED)
    by_id = {p.id: p for p in pipes}
    features = []
    for k, (link, node) in enumerate(zip(layer["link"], layer["node"], strict=True), start=1):
        pipe = by_id[link]
        line = LineString(pipe.coords if node == pipe.start else pipe.coords[::-1])
        point = line.interpolate(min(3.0, line.length / 3))
        features.append(feature(point, {"id": f"V{k}", "link": link, "node": node}))
    return layer[["link", "node"]], features


# --------------------------------------------------------------------------- incidents

# Area recipes: ("cells", grid cells (i, j), padding m) or ("span", street, grid a, grid b, pad m).
AREAS: dict[str, tuple] = {
    "demo-boil-water": ("cells", ((4, 5), (5, 5), (6, 5), (4, 6), (5, 6), (6, 6)), 20.0),
    "demo-main-break-skolegata": ("span", "Skolegata", (0, 3), (3, 3), 35.0),
    "demo-renewal-bakkevegen": ("span", "Bakkevegen", (1, 7), (3, 7), 30.0),
    "demo-discoloured-water": ("cells", ((4, 0), (5, 0), (4, 1), (5, 1), (6, 1)), 20.0),
}
# Streets each incident text names; the build checks that they touch the incident area.
NAMED_STREETS: dict[str, tuple[str, ...]] = {
    "demo-boil-water": ("Kirkevegen", "Kløvervegen", "Møllegata", "Elvegata", "Bakkevegen"),
    "demo-main-break-skolegata": ("Skolegata", "Skogvegen", "Rognevegen"),
    "demo-renewal-bakkevegen": ("Bakkevegen", "Furuvegen", "Eikeveien"),
    "demo-discoloured-water": ("Stasjonsvegen", "Sagvegen"),
}
ADDRESS_RANGES = {
    "demo-boil-water": (300, 600),
    "demo-main-break-skolegata": (40, 120),
    "demo-renewal-bakkevegen": (30, 80),
    "demo-discoloured-water": (1, 10_000),
}

INCIDENTS: tuple[dict[str, Any], ...] = (
    {
        "key": "demo-boil-water",
        "kind": "boil_water",
        "status": "active",
        "starts_offset_hours": -26.0,
        "expected_end_offset_hours": 48.0,
        "resolved_offset_hours": None,
        "cause": {
            "nb": "E. coli påvist i drikkevannet",
            "nn": "E. coli påvist i drikkevatnet",
            "en": "E. coli found in the drinking water",
        },
        "title": {
            "nb": "Kokepålegg nord for Møllegata og Elvegata",
            "nn": "Kokepåbod nord for Møllegata og Elvegata",
            "en": "Boil water notice north of Møllegata and Elvegata",
        },
        "summary": {
            "nb": "Vi har påvist E. coli i drikkevannet på ledningsnettet. Kokepålegget gjelder "
            "området mellom Kirkevegen og Kløvervegen, fra Møllegata og Elvegata opp til "
            "Bakkevegen. Vi tar vannprøver hver dag og leter etter årsaken.",
            "nn": "Vi har påvist E. coli i drikkevatnet på leidningsnettet. Kokepåbodet gjeld "
            "området mellom Kirkevegen og Kløvervegen, frå Møllegata og Elvegata opp til "
            "Bakkevegen. Vi tek ut vatn til analyse kvar dag og leitar etter årsaka.",
            "en": "E. coli has been found in the drinking water in the mains. The notice covers "
            "the area between Kirkevegen and Kløvervegen, from Møllegata and Elvegata up "
            "to Bakkevegen. We take samples every day and are looking for the cause.",
        },
        "advice": {
            "nb": "Kok vannet før du bruker det til drikke, matlaging og tannpuss. Det holder at "
            "vannet når kokepunktet. Du kan bruke vannet som vanlig til dusj, klesvask og "
            "rengjøring. Kokepålegget blir opphevet når prøvene viser at vannet er trygt. "
            "Vi varsler når det skjer.",
            "nn": "Kok vatnet før du brukar det til drikke, matlaging og tannpuss. Det held at "
            "vatnet når kokepunktet. Du kan bruke vatnet som vanleg til dusj, klesvask og "
            "reingjering. Kokepåbodet blir oppheva når analysane viser at vatnet er trygt. "
            "Vi varslar når det skjer.",
            "en": "Boil the water before using it for drinking, cooking and brushing teeth. "
            "Bringing it to the boil is enough. You can use the water as normal for "
            "showering, laundry and cleaning. The notice will be lifted when tests show "
            "that the water is safe. We will let you know when that happens.",
        },
        "updates": [
            {
                "offset_hours": -26.0,
                "body": {
                    "nb": "Kokepålegg innført etter funn av E. coli i rutineprøve.",
                    "nn": "Kokepåbod innført etter funn av E. coli i rutineprøve.",
                    "en": "Boil-water notice issued after E. coli was found in a routine sample.",
                },
            },
            {
                "offset_hours": -4.0,
                "body": {
                    "nb": "Nye prøver er tatt. Svar ventes i morgen. "
                    "Kokepålegget gjelder fortsatt.",
                    "nn": "Nye prøver er tekne. Svar kjem truleg i morgon. "
                    "Kokepåbodet gjeld framleis.",
                    "en": "New samples have been taken; results are expected tomorrow. "
                    "The notice still applies.",
                },
            },
        ],
    },
    {
        "key": "demo-main-break-skolegata",
        "kind": "shutdown",
        "status": "active",
        "starts_offset_hours": -3.0,
        "expected_end_offset_hours": 4.0,
        "resolved_offset_hours": None,
        "cause": {
            "nb": "Brudd på hovedvannledning i Skolegata",
            "nn": "Brot på hovudvassleidning i Skolegata",
            "en": "Burst water main in Skolegata",
        },
        "title": {
            "nb": "Vannet er stengt i Skolegata",
            "nn": "Vatnet er stengt i Skolegata",
            "en": "Water shut off in Skolegata",
        },
        "summary": {
            "nb": "Det er brudd på hovedvannledningen i Skolegata. Vannet er stengt fra "
            "Skogvegen til Rognevegen mens vi reparerer ledningen.",
            "nn": "Det er brot på hovudvassleidningen i Skolegata. Vatnet er stengt frå "
            "Skogvegen til Rognevegen medan vi reparerer leidningen.",
            "en": "A water main has burst in Skolegata. The water is shut off from Skogvegen "
            "to Rognevegen while we repair the main.",
        },
        "advice": {
            "nb": "Vi har satt ut en vanntank på parkeringsplassen ved Solhaug skole. Ta med egne "
            "kanner. Når vannet kommer tilbake, kan det være misfarget. La "
            "kaldtvannskranen renne til vannet er klart. Vent med vaskemaskin og "
            "oppvaskmaskin til vannet er klart.",
            "nn": "Vi har sett ut ein vasstank på parkeringsplassen ved Solhaug skole. Ta med "
            "eigne kanner. Når vatnet kjem tilbake, kan det vere misfarga. La "
            "kaldtvasskranen renne til vatnet er klart. Vent med vaskemaskin og "
            "oppvaskmaskin til vatnet er klart.",
            "en": "A water tank has been placed in the car park at Solhaug skole. Bring your own "
            "containers. When the water comes back it may be discoloured. Run the cold "
            "tap until the water is clear. Wait until the water is clear before using "
            "the washing machine or dishwasher.",
        },
        "updates": [
            {
                "offset_hours": -3.0,
                "body": {
                    "nb": "Vannet er stengt. Mannskap er på plass i Skolegata.",
                    "nn": "Vatnet er stengt. Mannskap er på plass i Skolegata.",
                    "en": "The water is shut off. A crew is at work in Skolegata.",
                },
            },
        ],
    },
    {
        "key": "demo-renewal-bakkevegen",
        "kind": "planned_works",
        "status": "scheduled",
        "starts_offset_hours": 168.0,
        "expected_end_offset_hours": 174.0,
        "resolved_offset_hours": None,
        "cause": {
            "nb": "Utskifting av gammel vannledning",
            "nn": "Utskifting av gammal vassleidning",
            "en": "Replacement of an old water main",
        },
        "title": {
            "nb": "Planlagt vannstenging i Bakkevegen",
            "nn": "Planlagd stenging av vatnet i Bakkevegen",
            "en": "Planned water shut-off in Bakkevegen",
        },
        "summary": {
            "nb": "Vi skifter ut vannledningen i Bakkevegen mellom Furuvegen og Eikeveien. "
            "Vannet blir stengt for husstandene på denne strekningen mens vi arbeider. "
            "Arbeidet tar om lag seks timer.",
            "nn": "Vi skiftar ut vassleidningen i Bakkevegen mellom Furuvegen og Eikeveien. "
            "Vatnet blir stengt for hushalda på denne strekninga medan vi arbeider. "
            "Arbeidet tek om lag seks timar.",
            "en": "We are replacing the water main in Bakkevegen between Furuvegen and "
            "Eikeveien. Homes on this stretch will be without water while we work. "
            "The work takes about six hours.",
        },
        "advice": {
            "nb": "Fyll noen kanner med vann før vi stenger. Når vannet kommer tilbake, kan det "
            "være misfarget. La kaldtvannskranen renne til vannet er klart.",
            "nn": "Fyll nokre kanner med vatn før vi stengjer. Når vatnet kjem tilbake, kan det "
            "vere misfarga. La kaldtvasskranen renne til vatnet er klart.",
            "en": "Fill a few containers with water before the shut-off. When the water comes "
            "back it may be discoloured. Run the cold tap until the water is clear.",
        },
    },
    {
        "key": "demo-discoloured-water",
        "kind": "discoloured_water",
        "status": "resolved",
        "starts_offset_hours": -840.0,
        "expected_end_offset_hours": -828.0,
        "resolved_offset_hours": -816.0,
        "cause": {
            "nb": "Spyling av ledningsnettet",
            "nn": "Spyling av leidningsnettet",
            "en": "Flushing of the water mains",
        },
        "title": {
            "nb": "Misfarget vann rundt Stasjonsvegen og Sagvegen",
            "nn": "Misfarga vatn rundt Stasjonsvegen og Sagvegen",
            "en": "Discoloured water around Stasjonsvegen and Sagvegen",
        },
        "summary": {
            "nb": "Etter spyling av ledningsnettet var vannet brunt eller gulaktig rundt "
            "Stasjonsvegen og Sagvegen. Misfarget vann er ikke helsefarlig. "
            "Vannet er nå klart igjen.",
            "nn": "Etter spyling av leidningsnettet var vatnet brunt eller gulleg rundt "
            "Stasjonsvegen og Sagvegen. Misfarga vatn er ikkje helsefarleg. "
            "Vatnet er klart att no.",
            "en": "After flushing of the mains, the water was brown or yellowish around "
            "Stasjonsvegen and Sagvegen. Discoloured water is not a health risk. "
            "The water is clear again.",
        },
        "advice": {
            "nb": "Er vannet fortsatt misfarget, la kaldtvannskranen renne til det er klart. "
            "Vent med klesvask til vannet er klart.",
            "nn": "Er vatnet framleis misfarga, la kaldtvasskranen renne til det er klart. "
            "Vent med klesvask til vatnet er klart.",
            "en": "If the water is still discoloured, run the cold tap until it is clear. "
            "Do not do laundry until the water is clear.",
        },
    },
)

# Vulnerable subscribers: category, name, anchor (local x, y or an incident key), dwellings
# override (None = keep, 0 = non-residential, n = units in the institution).
VULNERABLE: tuple[tuple[str, str, Any, int | None], ...] = (
    ("nursing_home", "Granheim sykehjem (demo)", (-120, 300), 32),
    ("nursing_home", "Solstua omsorgssenter (demo)", (-620, -560), 24),
    ("nursing_home", "Kløverhagen sykehjem (demo)", (820, -300), 18),
    ("kindergarten", "Solsikken barnehage (demo)", "demo-boil-water", 0),
    ("kindergarten", "Tyttebærhaugen barnehage (demo)", (-850, 250), 0),
    ("kindergarten", "Maurtua barnehage (demo)", (380, -780), 0),
    ("kindergarten", "Ekornskogen barnehage (demo)", (-300, 900), 0),
    ("kindergarten", "Lyngheia barnehage (demo)", (880, -620), 0),
    ("kindergarten", "Bjørnehiet barnehage (demo)", (-400, -330), 0),
    ("school", "Solhaug skole (demo)", (40, -190), 0),
    ("school", "Nordby skole (demo)", (-250, 790), 0),
    ("school", "Høgda ungdomsskole (demo)", (600, 150), 0),
    ("food_business", "Bakeriet i Storgata (demo)", (-180, 55), 0),
    ("food_business", "Kafé Kvernhuset (demo)", (-800, 560), 0),
    ("food_business", "Granmat AS (demo)", (650, 60), 0),
    ("food_business", "Fiskebutikken (demo)", (140, 40), 0),
    ("food_business", "Pizzeria Torget (demo)", (60, 10), 0),
    ("food_business", "Gårdsmeieriet (demo)", (520, -930), 0),
    ("dialysis", "Hjemmedialyse 1 (demo)", (300, 650), None),
    ("dialysis", "Hjemmedialyse 2 (demo)", (-700, -200), None),
    ("other", "Legesenteret (demo)", (-60, 120), 0),
    ("other", "Tannklinikken (demo)", (260, -60), 0),
    ("other", "Svømmehallen (demo)", (370, -250), 0),
    ("other", "Frisørsalongen (demo)", (-330, 20), 0),
    ("other", "Helsestasjonen (demo)", (-20, -120), 0),
)


def build_area(
    recipe: tuple, streets: list[Street], grid: dict[tuple[int, int], Point]
) -> Polygon | MultiPolygon:
    if recipe[0] == "cells":
        quads = [
            Polygon([grid[i, j], grid[i + 1, j], grid[i + 1, j + 1], grid[i, j + 1]])
            for i, j in recipe[1]
        ]
        return finish_polygon(unary_union(quads).buffer(recipe[2], join_style="mitre"))
    _, name, a, b, pad = recipe
    line = next(s.line for s in streets if s.name == name)
    span = substring(line, line.project(grid[a]), line.project(grid[b]))
    return finish_polygon(span.buffer(pad, quad_segs=4))


def pick_vulnerable(addresses: list[Address], areas: dict[str, Any]) -> list[tuple[int, str, str]]:
    """Attach each vulnerable subscriber to the nearest free address to its anchor."""
    pts = np.array([(a.x, a.y) for a in addresses])
    used: set[int] = set()
    rows = []
    for category, name, anchor, dwellings in VULNERABLE:
        allowed = np.ones(len(addresses), dtype=bool)
        if isinstance(anchor, str):
            allowed = shapely.contains_xy(areas[anchor], pts[:, 0], pts[:, 1])
            target = areas[anchor].centroid.coords[0]
        else:
            target = to_world(*anchor)
        order = np.argsort(np.hypot(*(pts - target).T), kind="stable")
        k = next(int(k) for k in order if allowed[k] and int(k) not in used)
        used.add(k)
        if dwellings is not None:
            addresses[k].dwellings = dwellings
        rows.append((addresses[k].lokalid, category, name))
    return rows


# --------------------------------------------------------------------------- writers

MUNICIPALITY = {
    "slug": "demo",
    "kommunenummer": "9999",
    "names": {"nb": "Demo kommune", "nn": "Demo kommune", "en": "Demo Municipality"},
    "utm_epsg": 25832,
    "department": {
        "nb": "Vann og avløp, Demo kommune",
        "nn": "Vatn og avløp, Demo kommune",
        "en": "Water and Wastewater, Demo Municipality",
    },
    "contact": {
        "phone": "+47 00 00 00 00",
        "email": "vann@demo.invalid",
        "url": "https://demo.invalid/vann",
    },
    "public_url": "https://demo.invalid/vann",
    "is_demo": True,
}


def round_coords(obj: Any, ndigits: int = 2) -> Any:
    if isinstance(obj, (list, tuple)):
        return [round_coords(v, ndigits) for v in obj]
    return round(float(obj), ndigits)


def geometry_json(geom: Any) -> dict[str, Any]:
    gj = mapping(geom)
    return {"type": gj["type"], "coordinates": round_coords(gj["coordinates"])}


def feature(geom: Any, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry_json(geom)}


def write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def write_geojson(name: str, features: list[dict[str, Any]]) -> None:
    """One feature per line, legacy crs member so GDAL picks up EPSG:25832."""
    head = json.dumps(
        {"type": "FeatureCollection", "name": name, "crs": CRS_MEMBER}, ensure_ascii=False
    )[:-1]
    body = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
    write_text(OUT_DIR / f"{name}.geojson", f'{head}, "features": [\n{body}\n]}}\n')


COORD_PAIR = re.compile(r"\[\s+(-?[0-9.]+),\s+(-?[0-9.]+)\s+\]")


def write_json(name: str, data: Any) -> None:
    """Indented JSON with each coordinate pair kept on one line."""
    text = COORD_PAIR.sub(r"[\1, \2]", json.dumps(data, ensure_ascii=False, indent=2))
    write_text(OUT_DIR / name, text + "\n")


def write_addresses(addresses: list[Address]) -> None:
    lines = [ADDRESS_COLUMNS]
    for a in addresses:
        postnummer, poststed = postal_area(a)
        lines.append(
            ";".join(
                str(v)
                for v in (
                    a.lokalid,
                    "9999",
                    "DEMO KOMMUNE",
                    "vegadresse",
                    a.code,
                    a.street,
                    a.number,
                    a.letter,
                    f"{a.street} {a.number}{a.letter}",
                    25832,
                    f"{a.y:.2f}",
                    f"{a.x:.2f}",
                    postnummer,
                    poststed,
                    a.dwellings,
                )
            )
        )
    write_text(OUT_DIR / "addresses.csv", "\n".join(lines) + "\n")


def write_table(name: str, header: str, rows: list[tuple], sep: str) -> None:
    lines = [header, *(sep.join(str(v) for v in row) for row in rows)]
    write_text(OUT_DIR / name, "\n".join(lines) + "\n")


def write_network_layers(wn: wntr.network.WaterNetworkModel, pipes: list[PipeRecord]) -> None:
    write_geojson(
        "pipes",
        [
            feature(
                LineString(p.coords),
                {
                    "id": p.id,
                    "start_node": p.start,
                    "end_node": p.end,
                    "diameter_mm": p.diameter_mm,
                    "length_m": p.length,
                    "roughness": p.roughness,
                    "material": p.material,
                },
            )
            for p in pipes
        ],
    )
    nodes = []
    for name, node in wn.nodes():
        kind = {"Junction": "junction", "Reservoir": "reservoir", "Tank": "tank"}[node.node_type]
        elevation = node.base_head if kind == "reservoir" else node.elevation
        nodes.append(
            feature(
                Point(node.coordinates),
                {"id": name, "type": kind, "elevation_m": round(elevation, 2)},
            )
        )
    write_geojson("nodes", nodes)


def write_inp(wn: wntr.network.WaterNetworkModel) -> Path:
    path = OUT_DIR / "network.inp"
    wntr.network.write_inpfile(wn, str(path), units="LPS")
    return path


def incident_records(areas: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**inc, "area": geometry_json(areas[inc["key"]])} for inc in INCIDENTS]


# --------------------------------------------------------------------------- verification


def read_layers() -> dict[str, gpd.GeoDataFrame]:
    layers = {}
    for path in sorted(OUT_DIR.glob("*.geojson")):
        gdf = gpd.read_file(path)
        assert gdf.crs is not None and gdf.crs.to_epsg() == 25832, f"{path.name}: {gdf.crs}"
        layers[path.stem] = gdf
    return layers


def read_addresses(boundary: Any) -> pd.DataFrame:
    df = pd.read_csv(OUT_DIR / "addresses.csv", sep=";", dtype=str, keep_default_na=False)
    assert list(df.columns) == ADDRESS_COLUMNS.split(";")
    assert df["lokalid"].is_unique and df["adresseTekst"].is_unique and len(df) >= 3200
    df["x"], df["y"] = df["Øst"].astype(float), df["Nord"].astype(float)
    df["bruksenheter"] = df["bruksenheter"].astype(int)
    assert shapely.contains_xy(boundary, df["x"], df["y"]).all()
    return df


def exteriors_ccw(geom: Any) -> bool:
    polys = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    return all(p.exterior.is_ccw for p in polys)


def check_incidents(boundary: Any, addr: pd.DataFrame, streets: gpd.GeoDataFrame) -> dict:
    incidents = json.loads((OUT_DIR / "incidents.json").read_text(encoding="utf-8"))
    areas = {i["key"]: shapely.geometry.shape(i["area"]) for i in incidents}
    counts = {}
    for key, area in areas.items():
        assert area.is_valid and exteriors_ccw(area) and boundary.contains(area), key
        counts[key] = int(shapely.contains_xy(area, addr["x"], addr["y"]).sum())
        lo, hi = ADDRESS_RANGES[key]
        assert lo <= counts[key] <= hi, f"{key}: {counts[key]} addresses"
        named = streets[streets["name"].isin(NAMED_STREETS[key])]
        assert len(named) == len(NAMED_STREETS[key]) and named.intersects(area).all(), key
    keys = [i["key"] for i in incidents]
    assert not areas[keys[0]].intersects(areas[keys[1]]), "boil water and shutdown overlap"
    return counts


def check_vulnerable(addr: pd.DataFrame) -> Counter:
    vul = pd.read_csv(OUT_DIR / "vulnerable.csv", sep=";", dtype=str)
    assert set(vul["lokalid"]) <= set(addr["lokalid"]) and vul["lokalid"].is_unique
    incidents = json.loads((OUT_DIR / "incidents.json").read_text(encoding="utf-8"))
    boil = shapely.geometry.shape(incidents[0]["area"])
    kg = addr[addr["lokalid"].isin(vul.loc[vul["category"] == "kindergarten", "lokalid"])]
    assert shapely.contains_xy(boil, kg["x"], kg["y"]).any(), "no kindergarten in boil area"
    return Counter(vul["category"])


def check_network(inp: Path, layers: dict[str, gpd.GeoDataFrame], boundary: Any) -> dict:
    wn = wntr.network.WaterNetworkModel(str(inp))
    pipes = layers["pipes"]
    assert 300 <= len(pipes) <= 900 and len(pipes) == wn.num_pipes
    assert (abs(pipes.geometry.length - pipes["length_m"]) < 0.05).all()
    assert boundary.buffer(-150).contains(layers["nodes"].union_all())
    graph = wn.to_graph().to_undirected()
    degree = dict(graph.degree())
    stats = {
        "junctions": wn.num_junctions,
        "pipes": wn.num_pipes,
        "length_km": pipes["length_m"].sum() / 1000,
        "min_pipe_m": pipes["length_m"].min(),
        "max_pipe_m": pipes["length_m"].max(),
        "dead_ends": sum(1 for d in degree.values() if d == 1),
        "loops": graph.number_of_edges() - graph.number_of_nodes() + 1,
    }
    elevations = [wn.get_node(j).elevation for j in wn.junction_name_list]
    stats["elevation"] = (min(elevations), max(elevations))
    for label, pdd in (("DDA", False), ("PDD", True)):
        pressure = simulate(inp, pdd)
        assert pressure.min() >= 20.0 and pressure.max() <= 90.0, (label, pressure.describe())
        stats[label] = (float(pressure.min()), float(pressure.max()))
    return stats


def print_summary(addr: pd.DataFrame, vul: Counter, counts: dict, net: dict) -> None:
    print("DEMO municipality written to", OUT_DIR)
    print(
        f"  addresses: {len(addr)}  dwellings: {addr['bruksenheter'].sum()}  "
        f"non-residential (0): {(addr['bruksenheter'] == 0).sum()}  "
        f"with letter: {(addr['bokstav'] != '').sum()}"
    )
    print("  vulnerable:", dict(sorted(vul.items())), "total", sum(vul.values()))
    print(
        f"  network: {net['junctions']} junctions, {net['pipes']} pipes, "
        f"{net['length_km']:.2f} km (pipe {net['min_pipe_m']:.1f}-{net['max_pipe_m']:.1f} m), "
        f"{net['loops']} independent loops, {net['dead_ends']} dead ends"
    )
    print("  junction elevation: {:.1f}-{:.1f} m".format(*net["elevation"]))
    for label in ("DDA", "PDD"):
        print(f"  pressure at 07:00 ({label}): {net[label][0]:.1f}-{net[label][1]:.1f} m")
    for key, n in counts.items():
        print(f"  incident {key}: {n} addresses inside")
    for path in sorted(OUT_DIR.iterdir()):
        print(f"  {path.name:18s} {path.stat().st_size / 1024:8.1f} KiB")


def verify(boundary: Any, inp: Path) -> None:
    layers = read_layers()
    addr = read_addresses(boundary)
    counts = check_incidents(boundary, addr, layers["streets"])
    vul = check_vulnerable(addr)
    assert all(vul[c] >= 2 for c in ("nursing_home", "kindergarten", "school", "food_business"))
    assert vul["dialysis"] >= 1
    net = check_network(inp, layers, boundary)
    print_summary(addr, vul, counts, net)


# --------------------------------------------------------------------------- main


def write_outputs(
    town: Town,
    areas: dict,
    vulnerable: list[tuple],
    pipes: list[PipeRecord],
    wn: wntr.network.WaterNetworkModel,
) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    write_json("municipality.json", MUNICIPALITY)
    write_geojson(
        "boundary",
        [
            feature(
                town.boundary, {"kommunenummer": "9999", "name": "Demo kommune", "is_demo": True}
            )
        ],
    )
    write_geojson("streets", [feature(s.line, {"name": s.name}) for s in town.streets])
    write_addresses(town.addresses)
    write_table("vulnerable.csv", "lokalid;category;name", vulnerable, ";")
    write_json("incidents.json", incident_records(areas))
    write_network_layers(wn, pipes)
    inp = write_inp(wn)
    layer, valve_features = valve_layer(inp, pipes)
    write_table("valves.csv", "link,node", list(layer.itertuples(index=False)), ",")
    write_geojson("valves", valve_features)
    return inp


def main() -> None:
    rng = np.random.default_rng(SEED)
    streets, grid = build_streets(rng)
    town = Town(streets, build_boundary(rng))
    town.addresses = build_addresses(streets, rng)
    areas = {key: build_area(recipe, streets, grid) for key, recipe in AREAS.items()}
    vulnerable = pick_vulnerable(town.addresses, areas)
    edges, reg = build_edges(streets)
    pipes = street_pipes(edges, street_pipe_specs(streets, rng), rng)
    pipes += trunk_mains(reg, len(pipes) + 1)
    wn = build_network(reg, pipes, town.addresses)
    inp = write_outputs(town, areas, vulnerable, pipes, wn)
    verify(town.boundary, inp)


if __name__ == "__main__":
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        main()
