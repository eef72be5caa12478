"""`statusmap isolate`: the valves to close to shut off one pipe, and what that cuts off.

Needs no database: it reads an EPANET .inp (and optionally a `link,node` valve layer) and prints
one JSON object on stdout. Validation warnings and notes go to stderr; errors stop the command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from statusmap.cli_network import network_and_valves
from statusmap.cli_network import network_option
from statusmap.cli_network import units_option
from statusmap.cli_network import valves_option

if TYPE_CHECKING:
    from statusmap.network.model import Network
    from statusmap.network.valves import Valve

MAX_OUTSIDE_M = 2000.0  # a point farther than this outside the network's extent is refused


@click.command("isolate")
@network_option
@units_option
@valves_option
@click.option("--pipe", help="The pipe to isolate.")
@click.option("--point", nargs=2, type=float, help="X Y in network coordinates: nearest pipe.")
@click.option(
    "--broken-valve",
    "broken",
    multiple=True,
    metavar="PIPE,NODE",
    help="A valve that cannot be closed (repeatable).",
)
def isolate_command(
    network_path: Path,
    units_to_m: float,
    valves_path: Path | None,
    pipe: str | None,
    point: tuple[float, float] | None,
    broken: tuple[str, ...],
) -> None:
    """Print the valves to close to isolate a pipe, and the pipes, nodes and demand cut off."""
    from statusmap.network.isolation import isolate
    from statusmap.network.model import NetworkError
    from statusmap.network.segments import valve_segments

    if (pipe is None) == (point is None):
        raise click.UsageError("give exactly one of --pipe ID or --point X Y")
    unusable = [_valve(text) for text in broken]  # before the network's seconds of loading
    network, valves = network_and_valves(network_path, units_to_m, valves_path)
    try:
        chosen = _snapped(network, point) if point is not None else str(pipe)
        result = isolate(network, valve_segments(network, valves), chosen, broken=unusable)
    except NetworkError as error:
        raise click.ClickException(str(error)) from None
    click.echo(json.dumps(result.as_json(network)))


def _snapped(network: Network, point: tuple[float, float]) -> str:
    """The pipe nearest a point given in the network's coordinates, refused when far outside."""
    from statusmap.network.isolation import nearest_pipe

    outside = network.distance_to_extent_m(*point)
    if outside > MAX_OUTSIDE_M:
        raise click.ClickException(
            f"the point {point[0]:g} {point[1]:g} lies {outside / 1000:.1f} km outside the "
            "network (at most 2 km); are its coordinates in the network's own units?"
        )
    return nearest_pipe(network, *point)


def _valve(text: str) -> Valve:
    link, sep, node = text.partition(",")
    if not sep or not link.strip() or not node.strip() or "," in node:
        raise click.BadParameter(f"{text!r} is not PIPE,NODE", param_hint="--broken-valve")
    return link.strip(), node.strip()
