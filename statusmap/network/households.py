"""Households per junction, from the model's base demands.

A network model knows demands, not people. Until service connections are imported, the engine
assumes households in proportion to base demand: five on an average junction, at least one
wherever there is any demand, none where there is none.
"""

from __future__ import annotations

import numpy as np

from statusmap.network.model import Network

MEAN_HOUSEHOLDS = 5.0


def households_per_junction(network: Network) -> np.ndarray:
    """Households of every junction, in `network.junction_names` order."""
    demand = np.array([network.base_demand(j) for j in network.junction_names], dtype=float)
    served = demand > 0
    if not served.any():
        return np.zeros(len(demand))
    scaled = np.round(MEAN_HOUSEHOLDS * demand / demand[served].mean())
    return np.where(served, np.maximum(scaled, 1.0), 0.0)
