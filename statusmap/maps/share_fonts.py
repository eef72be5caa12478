"""Fonts for server-drawn pictures, with the Norwegian letters (æ ø å) and typographic marks.

Pillow's bundled font (Aileron) has no æ, ø or å, so DejaVu Sans is taken from the copy
matplotlib ships (it comes with wntr, a dependency) without importing matplotlib. Where that is
missing, Pillow's bundled font is used rather than failing.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from PIL import ImageFont

FontType = ImageFont.FreeTypeFont | ImageFont.ImageFont
_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}


@cache
def _font_dir() -> Path | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    return folder if (folder / _FILES[False]).is_file() else None


@cache
def font(size: int, *, bold: bool = False) -> FontType:
    """A sans-serif font of the given pixel size."""
    folder = _font_dir()
    if folder is not None and (folder / _FILES[bold]).is_file():
        return ImageFont.truetype(str(folder / _FILES[bold]), size)
    return ImageFont.load_default(size=size)


def fit_lines(text: str, face: FontType, width: float, max_lines: int) -> list[str]:
    """Word-wrap text into at most max_lines lines of the width; an ellipsis marks a cut."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and face.getlength(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    cut = [
        _with_ellipsis(line, face, width) if face.getlength(line) > width else line
        for line in lines
    ]
    if words:
        cut[-1] = _with_ellipsis(cut[-1], face, width)
    return cut


def _with_ellipsis(line: str, face: FontType, width: float) -> str:
    line = line.removesuffix("…")
    while line and face.getlength(f"{line}…") > width:
        line = line[:-1]
    return f"{line.rstrip()}…"
