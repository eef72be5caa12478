"""Distances along the network: from every pipe's midpoint to every other's, in metres."""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import shortest_path

from statusmap.network.model import Network


def _between_nodes(network: Network) -> tuple[np.ndarray, dict[str, int]]:
    """All-pairs shortest paths (m) through the links; pumps and valves count as 1 mm."""
    wn = network.wn
    index = {name: i for i, name in enumerate(wn.node_name_list)}
    is_pipe = set(network.pipe_names)
    rows, cols, weights = [], [], []
    for name, link in wn.links():
        rows.append(index[link.start_node_name])
        cols.append(index[link.end_node_name])
        drawn = network.pipe_length_m(name) if name in is_pipe else 0.0
        weights.append(max(drawn, 1e-3))
    size = len(index)
    graph = coo_matrix((weights, (rows, cols)), shape=(size, size)).tocsr()
    return shortest_path(graph, method="D", directed=False), index


def share_within(network: Network, radius_m: float) -> np.ndarray:
    """(P, P): the share of pipe q's length within `radius_m` along the network of p's midpoint.

    A break lies anywhere on its pipe, so this is the chance that searching from p's midpoint
    finds a break on q within the radius. Along q, the reach is what is left of the radius
    after getting to each of q's ends (a pipe is reached from both ends at most once over).
    """
    between, index = _between_nodes(network)
    wn = network.wn
    pipes = network.pipe_names
    starts = np.array([index[wn.get_link(p).start_node_name] for p in pipes])
    ends = np.array([index[wn.get_link(p).end_node_name] for p in pipes])
    length = np.maximum(np.array([network.pipe_length_m(p) for p in pipes]), 1e-3)
    half = length / 2.0
    to_node = np.minimum(between[starts], between[ends]) + half[:, None]  # (P, nodes)
    from_start = np.maximum(radius_m - to_node[:, starts], 0)
    reach = from_start + np.maximum(radius_m - to_node[:, ends], 0)
    share = np.minimum(reach / length[None, :], 1.0)
    own = np.minimum(2 * radius_m / length, 1.0)
    share[np.arange(len(pipes)), np.arange(len(pipes))] = own
    return share.astype(np.float32)
