"""The valve layer: which pipes have an isolation valve, and at which end.

A valve is wntr's valve-layer row `(link, node)`: a valve on pipe `link` right next to `node`.
Closing it cuts the pipe off from that node. The layer is read from wntr's CSV (`link,node`) or
generated as wntr's strategic N-2 layer when the utility has none.
"""

from __future__ import annotations

import csv
from pathlib import Path

from statusmap.network.model import Network
from statusmap.network.model import NetworkError

Valve = tuple[str, str]  # (link name, node name): a valve on `link` next to `node`


def read_valve_layer(path: str | Path, network: Network) -> list[Valve]:
    """The valves of a `link,node` CSV, each checked against the network; duplicates merged."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise NetworkError(f"cannot read the valve layer {path}: {_reason(error)}") from None
    missing = [name for name in ("link", "node") if name not in header]
    if missing:
        raise NetworkError(
            f"the valve layer {path} needs the columns link,node; missing: {', '.join(missing)}"
        )
    valves: dict[Valve, None] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        cleaned = {(key or "").strip(): (value or "") for key, value in row.items()}
        valve = (cleaned["link"].strip(), cleaned["node"].strip())
        # As in wntr's own layers (the strategic one puts valves beside pumps and valves too).
        problem = valve_problem(network, valve, pipes_only=False)
        if problem:
            raise NetworkError(f"the valve layer {path}, row {number}: {problem}")
        valves[valve] = None
    return list(valves)


def valve_problem(network: Network, valve: Valve, pipes_only: bool = True) -> str | None:
    """Why a valve cannot sit where the row puts it, or None if it can.

    wntr's strategic layer also puts valves on pumps and valves; `pipes_only=False` allows that.
    """
    link, node = valve
    if not link or not node:
        return "the link and the node must both be given"
    wn = network.wn
    if link not in wn.links:
        return f"the network has no link called {link}"
    found = wn.get_link(link)
    kind = found.link_type.lower()
    if pipes_only and kind != "pipe":
        return f"{link} is a {kind}, not a pipe"
    ends = (found.start_node_name, found.end_node_name)
    if node not in ends:
        return f"{node} is not an end of {kind} {link} (its ends are {ends[0]} and {ends[1]})"
    return None


def strategic_valve_layer(network: Network, n: int = 2, seed: int = 0) -> list[Valve]:
    """wntr's strategic N-n layer: at every node, all but n of its links get a valve."""
    import wntr

    layer = wntr.network.generate_valve_layer(network.wn, "strategic", n, seed=seed)
    return [(str(link), str(node)) for link, node in zip(layer["link"], layer["node"], strict=True)]


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    if isinstance(error, UnicodeDecodeError):
        return "it is not UTF-8 text"
    return str(error)
