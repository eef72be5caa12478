"""How residents report, as a model: from a junction's pressure to the reports its households send.

A break is known only through pressures the model predicts, and the model is not the real network
(demands and roughness are uncertain), so each junction gets a probability of each state rather
than one state: no water below 5 m, low pressure below 15 m or after a drop of more than 15 m,
else water as usual, each threshold blurred by an uncertainty that grows with the drop.

Each state then gives every household an expected number of reports of each kind. The rates are
the engine's one assumption about people; they hold for every network (none is tuned per network)
and are the place to calibrate once real incidents have been logged.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

NO_WATER_M = 5.0
LOW_PRESSURE_M = 15.0
DROP_M = 15.0

# Uncertainty (m) of a predicted pressure and of a predicted drop: a floor plus a share of the drop.
PRESSURE_SD = (2.0, 0.15)
DROP_SD = (1.5, 0.15)

STATES = ("no_water", "low_pressure", "ok")
KINDS = ("no_water", "low_pressure", "water_ok", "discoloured_water")
POSITIVE = ("no_water", "low_pressure")

# Expected reports per household, by the junction's state (rows) and the report's kind (columns).
RATES = np.array(
    [
        [0.15, 0.05, 0.0005, 0.005],  # no water; a few say "water ok" by mistake
        [0.02, 0.08, 0.005, 0.01],  # low pressure
        [0.0005, 0.0005, 0.002, 0.0005],  # water as usual: false alarms and "all fine"
    ]
)


def state_probabilities(pressure: np.ndarray, base: np.ndarray) -> np.ndarray:
    """P(state) for every junction: shape pressure.shape + (3,), states in `STATES` order."""
    drop = np.maximum(base - pressure, 0.0)
    sd_p = PRESSURE_SD[0] + PRESSURE_SD[1] * drop
    sd_d = DROP_SD[0] + DROP_SD[1] * drop
    no_water = ndtr((NO_WATER_M - pressure) / sd_p)
    above_low = 1.0 - ndtr((LOW_PRESSURE_M - pressure) / sd_p)
    small_drop = 1.0 - ndtr((drop - DROP_M) / sd_d)
    ok = np.minimum(above_low * small_drop, 1.0 - no_water)
    low = np.clip(1.0 - no_water - ok, 0.0, 1.0)
    return np.stack([no_water, low, ok], axis=-1)


def intensities(pressure: np.ndarray, base: np.ndarray, households: np.ndarray) -> np.ndarray:
    """Expected reports of each kind per junction: shape pressure.shape + (len(KINDS),)."""
    states = state_probabilities(pressure, base)
    return (states @ RATES) * households
