"""What `statusmap locate --cache DIR` keeps beyond the break signatures: the arrays the
localiser derives from them (report rates, distance shares, valve segments), so that a later call
only reads files.

A file's name carries the network's content digest, the valve layer's digest and a digest of the
code that derives the arrays, so a changed network, layer or method never reads a stale file.
A damaged file is derived again and replaced; a file is written whole or not at all.
"""

from __future__ import annotations

import hashlib
import logging
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from statusmap.network.model import NetworkError

log = logging.getLogger(__name__)
_HERE = Path(__file__).parent
# The modules whose code decides the kept arrays' values.
DERIVING = ("evidence.py", "households.py", "distances.py", "segments.py", "kept_arrays.py")


def code_digest() -> str:
    digest = hashlib.sha256()
    for name in DERIVING:
        digest.update((_HERE / name).read_bytes())
    return digest.hexdigest()[:12]


def kept(
    cache_dir: Path | None, name: str, derive: Callable[[], dict[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """The arrays kept under `name` in the cache, else derived (and kept when there is a cache)."""
    if cache_dir is None:
        return derive()
    path = cache_dir / f"{name}-{code_digest()}.npz"
    found = read_arrays(path)
    if found is not None:
        return found
    make_room(cache_dir)
    arrays = derive()
    write_arrays(path, arrays)
    return arrays


def read_arrays(path: Path) -> dict[str, np.ndarray] | None:
    """The arrays of a kept file; None when there is none or it is damaged (a warning then)."""
    if not path.exists():
        return None
    try:
        # The file is opened here, so it is closed even when numpy cannot read it.
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
        log.warning("the cached arrays in %s are damaged; computing them again", path)
        return None


def make_room(directory: Path) -> None:
    """Make the cache directory, or refuse it (before minutes of work that could not be kept)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise NetworkError(f"cannot keep the cache in {directory}: {error}") from None


def write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Keep the arrays in one file, written whole or not at all (a reader never sees half)."""
    partial = path.with_suffix(".partial.npz")
    try:
        np.savez(partial, **arrays)  # type: ignore[arg-type]
        partial.replace(path)
    except OSError as error:
        raise NetworkError(f"cannot keep the cache in {path.parent}: {error}") from None
