"""Where to ask "is your water OK?": the places whose answers best tell the leading pipes apart.

Each candidate place is a junction with households. Under each leading hypothesis (pipe and
break size), the evidence model gives the chance that the answer there is "yes, water is fine".
Places are picked one by one, each time the one that adds most to the expected information gain
about which pipe broke, counting the answers of the places already picked (the answers are
independent given the break, so their joint outcomes are enumerated: at most 2^MAX_PLACES).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from statusmap.network import evidence
from statusmap.network.households import households_per_junction

if TYPE_CHECKING:
    from statusmap.network.localiser import Posterior
    from statusmap.network.localiser import Prepared

LEADING = 400  # hypotheses kept (by probability) when weighing places
SHORTLIST = 150  # places weighed jointly, the best on their own
MAX_PLACES = 8


def _entropy(p: np.ndarray, axis: int) -> np.ndarray:
    p = np.clip(p, 1e-12, 1.0)
    return -(p * np.log2(p)).sum(axis=axis)


def _leading(prepared: Prepared, post: Posterior) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ok chance per leading hypothesis and place, weights, the hypotheses' pipe numbers)."""
    flat = post.hypotheses.ravel()
    keep = np.argsort(-flat)[:LEADING]
    weights = flat[keep] / flat[keep].sum()
    openings = post.hypotheses.shape[1]
    pipes, sizes = keep // openings, keep % openings
    states = evidence.state_probabilities(prepared.broken[pipes, sizes], prepared.base[None, :])
    return states[..., 2], weights, pipes


def _by_pipe(weights: np.ndarray, pipes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(M, pipes) weights of each hypothesis within its pipe, and each pipe's weight."""
    unique, column = np.unique(pipes, return_inverse=True)
    pipe_weight = np.bincount(column, weights=weights, minlength=len(unique))
    within = np.zeros((len(weights), len(unique)))
    within[np.arange(len(weights)), column] = weights / pipe_weight[column]
    return within, pipe_weight


def _gain(
    outcomes: np.ndarray, weights: np.ndarray, within: np.ndarray, pw: np.ndarray
) -> np.ndarray:
    """Information (bits) about the pipe in each candidate's joint outcomes (C, O, M)."""
    answered = _entropy(outcomes @ weights, axis=1)
    per_pipe = outcomes @ within  # (C, O, pipes)
    return answered - (_entropy(per_pipe, axis=1) * pw).sum(axis=1)


def places_to_ask(prepared: Prepared, post: Posterior, count: int) -> list[list[float]]:
    """Up to `count` (at most MAX_PLACES) junction positions, in the network's coordinates."""
    ok, weights, pipes = _leading(prepared, post)
    within, pipe_weight = _by_pipe(weights, pipes)
    housed = np.flatnonzero(households_per_junction(prepared.network) > 0)
    alone = np.stack([ok[:, housed].T, 1.0 - ok[:, housed].T], axis=1)  # (C, 2, M)
    shortlist = housed[np.argsort(-_gain(alone, weights, within, pipe_weight))[:SHORTLIST]]
    outcomes = np.ones((1, len(weights)))
    picked: list[int] = []
    for _ in range(min(count, MAX_PLACES, len(shortlist))):
        candidates = [j for j in shortlist if j not in picked]
        yes = ok[:, candidates].T[:, None, :]
        joint = np.concatenate([outcomes[None] * yes, outcomes[None] * (1.0 - yes)], axis=1)
        best = int(np.argmax(_gain(joint, weights, within, pipe_weight)))
        picked.append(candidates[best])
        outcomes = joint[best]
    names = prepared.network.junction_names
    return [list(prepared.network.node_xy(names[j])) for j in picked]
