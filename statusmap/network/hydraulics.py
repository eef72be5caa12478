"""EPANET runs the engine needs: the morning-peak snapshot, solved many times in one open model.

Every candidate break is an emitter at a pipe's midpoint. The model is split once at every
midpoint (hydraulically the same network: two halves in series lose what the whole pipe lost) and
opened once in EPANET's toolkit; each break is then an emitter set, a solve and an emitter reset,
with no files written per break. Splitting a pipe can flip a pump or pressure-reducing valve to
another state of its own (seen on ky10: the pipe between a pump and a PRV); such pipes are found
by comparing the split model's pressures with the unsplit one's, left whole in the shared model,
and solved in a model of their own.
"""

from __future__ import annotations

import copy
import ctypes
import math
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from statusmap.network.model import Network
from statusmap.network.model import NetworkError

PEAK_HOUR = 7
REQUIRED_PRESSURE_M = 15.0
GRAVITY = 9.81
EN_EMITTER = 3
EN_PRESSURE = 11
SAME_PRESSURE_M = 1.0  # a split model whose pressures move more than this is not the same model


def snapshot_model(network: Network) -> Any:
    """A copy of the model as one snapshot at the morning peak, pressure-driven demand."""
    wn = copy.deepcopy(network.wn)
    wn.options.time.duration = 0
    wn.options.time.pattern_start = PEAK_HOUR * 3600
    wn.options.hydraulic.demand_model = "PDD"
    wn.options.hydraulic.required_pressure = REQUIRED_PRESSURE_M
    wn.options.hydraulic.minimum_pressure = 0.0
    return wn


def emitter_lps(diameter_m: float, opening: float) -> float:
    """The emitter coefficient of a break (L/s per √m): 0.75 · A · √(2g), A a share of the bore."""
    area = opening * math.pi * diameter_m**2 / 4
    return 0.75 * area * math.sqrt(2 * GRAVITY) * 1000.0


def midpoint_name(index: int) -> str:
    return f"~mid{index}"


def split_at_midpoints(wn: Any, pipes: list[str], indices: list[int]) -> None:
    """Split each pipe at its midpoint, in place; the new junction is `midpoint_name(index)`."""
    import wntr

    for pipe, index in zip(pipes, indices, strict=True):
        wntr.morph.split_pipe(
            wn, pipe, f"~half{index}", midpoint_name(index), split_at_point=0.5, return_copy=False
        )


class Solver:
    """One model open in EPANET's toolkit: junction pressures, with or without one emitter."""

    def __init__(self, wn: Any, junctions: list[str], directory: str) -> None:
        import wntr
        from wntr.epanet.toolkit import ENepanet

        inp = os.path.join(directory, f"model{id(self)}.inp")
        wntr.network.write_inpfile(wn, inp, units="LPS")  # pressures in m, emitters in L/s/√m
        self._en = ENepanet()
        try:
            self._en.ENopen(inp, inp + ".rpt", inp + ".bin")
            self._en.ENopenH()
        except Exception as error:  # EPANET's error, said in its words
            raise NetworkError(f"EPANET cannot solve this network: {error}") from None
        self._junctions = [self._en.ENgetnodeindex(name) for name in junctions]
        self._value = ctypes.c_double()

    def index(self, node: str) -> int:
        return int(self._en.ENgetnodeindex(node))

    def pressures(self, node: int | None = None, emitter: float = 0.0) -> np.ndarray:
        """Junction pressures (m); with `node`, an emitter of that coefficient on it meanwhile."""
        en = self._en
        if node is not None:
            en.ENsetnodevalue(node, EN_EMITTER, emitter)
        try:
            en.ENinitH(0)
            en.ENrunH()
        except Exception as error:
            raise NetworkError(f"EPANET cannot solve this network: {error}") from None
        finally:
            if node is not None:
                en.ENsetnodevalue(node, EN_EMITTER, 0.0)
        lib, project, value = en.ENlib, en._project, ctypes.byref(self._value)
        out = np.empty(len(self._junctions))
        for k, index in enumerate(self._junctions):
            lib.EN_getnodevalue(project, index, EN_PRESSURE, value)
            out[k] = self._value.value
        return out

    def close(self) -> None:
        self._en.ENcloseH()
        self._en.ENclose()


@contextmanager
def solver(wn: Any, junctions: list[str]) -> Iterator[Solver]:
    """An open model in a temporary directory, which is also the working directory meanwhile:
    EPANET writes its scratch files (en??????) into the working directory."""
    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="statusmap-epanet-") as directory:
        os.chdir(directory)
        try:
            opened = Solver(wn, junctions, directory)
            try:
                yield opened
            finally:
                opened.close()
        finally:
            os.chdir(here)


def base_pressures(network: Network) -> np.ndarray:
    """Junction pressures of the unbroken model at the morning peak."""
    with solver(snapshot_model(network), network.junction_names) as opened:
        return opened.pressures()
