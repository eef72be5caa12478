"""The hand-made test networks under tests/data/networks/ and their valve layers.

town.inp (base demands in L/s; an `o` is a valve on that pipe, right next to that node):

    R1 ---P1--- J1 o--P2--- J2 o--P3--- J3
                o                       |
                |P4                     |P5
                |                       |
                J4 o--------P6--------- J5 o--P7--- J6 o--P8--- J7

    demands J1..J7: 1, 2, 3, 4, 5, 6, 7 L/s; R1 is the only source.

Its valve segments, worked out by hand (the valves that bound each in brackets):
    A = R1, J1; P1            [P2,J1  P4,J1]
    B = J2; P2                [P2,J1  P3,J2]
    C = J3, J5; P3, P5, P6    [P3,J2  P6,J4  P7,J5]
    D = J4; P4                [P4,J1  P6,J4]
    E = J6; P7                [P7,J5  P8,J6]
    F = J7; P8                [P8,J6]
"""

from __future__ import annotations

from pathlib import Path

from statusmap.network.model import Network
from statusmap.network.model import load_network
from statusmap.network.valves import Valve

NETWORKS = Path(__file__).parent / "data" / "networks"
TOWN = NETWORKS / "town.inp"
TOWN_VALVES = NETWORKS / "town_valves.csv"
TOWN_LAYER: list[Valve] = [
    ("P2", "J1"),
    ("P3", "J2"),
    ("P4", "J1"),
    ("P6", "J4"),
    ("P7", "J5"),
    ("P8", "J6"),
]


def town() -> Network:
    return load_network(TOWN)
