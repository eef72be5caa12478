"""How fast reports come: the pace of reports tells how many households a break reaches.

Under a hypothesis, residents' reports (the kinds in evidence.KINDS) arrive as one Poisson process
whose rate is the expected reports per hour (likelihood.Model.total) times an unknown factor r:
how ready people are to report, the same for every kind in one incident. When the break began is
not known, so the first report starts the clock: the other n - 1 arrive in the span S up to the
last one with likelihood (r * total)^(n - 1) * exp(-r * total * S). The factor is integrated out
over a log-uniform prior from 1/4 to 4, wider than any one guess of the rates should need.

A break that reaches a thousand households makes ten reports in minutes; one that reaches twenty
takes hours. Without times on every report, the pace says nothing (zero for every hypothesis);
nor when every report has the same time, which is then a stamp (an import, a form's default),
not when each was made.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from statusmap.network import evidence
from statusmap.network.reports import Report

RATE_FACTOR = (0.25, 4.0)  # the prior's range of the readiness to report
GRID = 33  # log-spaced values of the factor the prior is summed over


def pace_log_likelihood(total: np.ndarray, reports: list[Report]) -> np.ndarray:
    """Log-likelihood of the reports' arrival times under each hypothesis (the shape of total,
    expected reports per hour)."""
    counted = [r for r in reports if r.kind in evidence.KINDS]
    if len(counted) < 2 or any(r.reported_at is None for r in counted):
        return np.zeros(total.shape)
    times = sorted(r.reported_at for r in counted if r.reported_at is not None)
    span_h = (times[-1] - times[0]).total_seconds() / 3600.0
    if span_h <= 0:
        return np.zeros(total.shape)
    factors = np.geomspace(*RATE_FACTOR, GRID)
    rate = np.maximum(total, 1e-12)[:, None] * factors[None, :]
    per_factor = (len(times) - 1) * np.log(rate) - rate * span_h
    return np.asarray(logsumexp(per_factor, axis=1) - np.log(GRID))
