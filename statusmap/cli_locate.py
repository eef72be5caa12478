"""`statusmap locate`: rank the pipes and valve segments most likely to have broken.

The contract is in docs/leak-localisation.md: a network, an
optional valve layer, reports as GeoJSON or a .jsonl batch; one JSON answer per scenario on stdout.
Every input is checked before anything is prepared or printed, so a bad line in a batch is
refused with its number and nothing half-done is left on stdout.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from statusmap.cli_network import network_and_valves
from statusmap.cli_network import network_option
from statusmap.cli_network import units_option
from statusmap.cli_network import valves_option
from statusmap.network.model import NetworkError
from statusmap.network.reports import ReportError
from statusmap.network.reports import check_usable
from statusmap.network.reports import read_reports


@click.command("locate")
@network_option
@units_option
@valves_option
@click.option(
    "--reports",
    "reports_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="GeoJSON FeatureCollection (.geojson/.json), or .jsonl with one per line.",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory that keeps what is prepared per network, so later calls start fast.",
)
@click.option("--top", default=50, show_default=True, type=click.IntRange(1), help="Ranked items.")
@click.option(
    "--suggest",
    default=0,
    type=click.IntRange(0, 8),
    help="Also name N places whose 'is your water OK?' answer would help most (at most 8).",
)
def locate_command(
    network_path: Path,
    units_to_m: float,
    valves_path: Path | None,
    reports_path: Path,
    cache_dir: Path | None,
    top: int,
    suggest: int,
) -> None:
    """Rank pipes and valve segments by how well one break there explains the reports."""
    from statusmap.network.localiser import locate
    from statusmap.network.localiser import prepare

    network, valves = network_and_valves(network_path, units_to_m, valves_path)
    try:
        scenarios = read_reports(reports_path)
        for where, reports in scenarios:
            check_usable(network, reports, where)
        prepared = prepare(network, valves, cache_dir)
    except (NetworkError, ReportError) as error:
        raise click.ClickException(str(error)) from None
    for _where, reports in scenarios:
        click.echo(json.dumps(locate(prepared, reports, top=top, suggest=suggest)))
