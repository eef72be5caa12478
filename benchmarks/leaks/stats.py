"""Bootstrap 95 % intervals (resampling scenarios) and the confidence's ROC AUC."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.stats import rankdata

RESAMPLES = 2000
SEED = 20261202
Statistic = Callable[[np.ndarray], np.ndarray]  # one value per row of a (resamples, n) array


def mean(samples: np.ndarray) -> np.ndarray:
    return np.asarray(samples.mean(axis=-1))


def median(samples: np.ndarray) -> np.ndarray:
    return np.asarray(np.median(samples, axis=-1))


def p90(samples: np.ndarray) -> np.ndarray:
    return np.asarray(np.percentile(samples, 90, axis=-1))


def resampled(n: int, seed: int = SEED) -> np.ndarray:
    """Indices of 2,000 resamples of n scenarios, the same for every metric (fixed seed)."""
    return np.random.default_rng(seed).integers(0, n, size=(RESAMPLES, n))


def interval(values: np.ndarray, statistic: Statistic = mean) -> tuple[float, float, float]:
    """The statistic and its percentile bootstrap 95 % interval."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return float("nan"), float("nan"), float("nan")
    spread = statistic(values[resampled(len(values))])
    low, high = np.percentile(spread, [2.5, 97.5])
    return float(statistic(values)), float(low), float(high)


def paired_difference(ours: np.ndarray, other: np.ndarray) -> tuple[float, float, float]:
    """Mean of ours minus other over the same scenarios, resampled as pairs."""
    return interval(np.asarray(ours, dtype=float) - np.asarray(other, dtype=float), mean)


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """P(a positive scores above a negative), ties counting half (Mann-Whitney)."""
    positive, negative = np.asarray(positive, float), np.asarray(negative, float)
    if len(positive) == 0 or len(negative) == 0:
        return float("nan")
    ranks = rankdata(np.concatenate([positive, negative]))  # ties get their mean rank
    n1, n0 = len(positive), len(negative)
    return float((ranks[:n1].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def auc_interval(positive: np.ndarray, negative: np.ndarray) -> tuple[float, float, float]:
    """AUC with a bootstrap 95 % interval, resampling each set on its own."""
    positive, negative = np.asarray(positive, float), np.asarray(negative, float)
    value = auc(positive, negative)
    if len(positive) == 0 or len(negative) == 0:
        return value, float("nan"), float("nan")
    rng = np.random.default_rng(SEED)
    spread = [
        auc(rng.choice(positive, len(positive)), rng.choice(negative, len(negative)))
        for _ in range(RESAMPLES)
    ]
    low, high = np.percentile(spread, [2.5, 97.5])
    return value, float(low), float(high)
