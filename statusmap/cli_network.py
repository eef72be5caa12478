"""What the network engine's commands share: the network, units and valve-layer options, and
reading them (checked, with warnings on stderr and errors as a clean refusal)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from statusmap.network.model import Network
    from statusmap.network.valves import Valve

network_option = click.option(
    "--network",
    "network_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="EPANET .inp file of the network.",
)
units_option = click.option(
    "--units-to-m",
    default=1.0,
    show_default=True,
    type=float,
    help="Factor from the network's coordinate units to metres (0.3048 for feet).",
)
valves_option = click.option(
    "--valves",
    "valves_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Valve layer as CSV with columns link,node (wntr's format).",
)


def network_and_valves(
    network_path: Path, units_to_m: float, valves_path: Path | None
) -> tuple[Network, list[Valve]]:
    """The network and its valves, validated; without a layer, the strategic N-2 one (said)."""
    from statusmap.network.model import NetworkError
    from statusmap.network.model import load_network
    from statusmap.network.validation import check
    from statusmap.network.valves import read_valve_layer
    from statusmap.network.valves import strategic_valve_layer

    try:
        network = load_network(network_path, units_to_m)
        if valves_path is not None:
            valves = read_valve_layer(valves_path, network)
        else:
            click.echo("No --valves given: using a strategic N-2 valve layer (seed 0).", err=True)
            valves = strategic_valve_layer(network, n=2, seed=0)
        for warning in check(network, valves):
            click.echo(f"Warning: {warning.message}", err=True)
    except NetworkError as error:
        raise click.ClickException(str(error)) from None
    return network, valves
