"""The words on a share picture: the banner (kind, status, title, municipality), the street
names and the data credit, placed so that none covers another."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from PIL import Image
from PIL import ImageDraw
from shapely.geometry import LineString
from shapely.geometry.base import BaseGeometry

from statusmap.maps.share_fonts import fit_lines
from statusmap.maps.share_fonts import font

BANNER_HEIGHT = 170
INK, MUTED, HALO = "#1a1a1a", "#444444", "#ffffff"
PAD = 28
STRIPE = 18  # the kind's colour along the banner's left edge
MAX_STREET_NAMES = 6
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class ShareTexts:
    """The picture's words, already in the reader's language."""

    kind: str
    status: str
    title: str
    municipality: str
    attribution: str = ""  # credit for the street data, shown when streets are drawn


def draw_banner(image: Image.Image, top: int, texts: ShareTexts, colour: str) -> None:
    """Kind and status (in words, on a badge), the municipality, and the title in two lines."""
    draw = ImageDraw.Draw(image)
    width = image.width
    draw.rectangle([0, top, width, image.height], fill="#ffffff")
    draw.line([(0, top), (width, top)], fill="#bdbdbd", width=2)
    draw.rectangle([0, top, STRIPE, image.height], fill=colour)
    left, y = STRIPE + PAD, top + 20
    kind_face, badge_face = font(32, bold=True), font(24, bold=True)
    draw.text((left, y), texts.kind, font=kind_face, fill=colour, anchor="lt")
    x = left + kind_face.getlength(texts.kind) + 20
    badge = draw.textbbox((x + 14, y + 4), texts.status, font=badge_face, anchor="lt")
    draw.rounded_rectangle(
        [badge[0] - 14, badge[1] - 8, badge[2] + 14, badge[3] + 8], radius=8, outline=INK, width=2
    )
    draw.text((x + 14, y + 4), texts.status, font=badge_face, fill=INK, anchor="lt")
    place_face = font(24)
    draw.text((width - PAD, y + 4), texts.municipality, font=place_face, fill=MUTED, anchor="rt")
    title_face = font(36)
    for number, line in enumerate(fit_lines(texts.title, title_face, width - left - PAD, 2)):
        draw.text((left, y + 56 + number * 44), line, font=title_face, fill=INK, anchor="lt")


def draw_attribution(image: Image.Image, text: str) -> list[Box]:
    """The data credit in the map's lower right corner; the box it takes (none without text)."""
    if not text:
        return []
    face = font(16)
    draw = ImageDraw.Draw(image)
    right, bottom = image.width - 6, image.height - 6
    left, top, end, low = draw.textbbox((right - 6, bottom - 4), text, font=face, anchor="rb")
    taken = (left - 6, top - 4, end + 6, low + 4)
    draw.rectangle(taken, fill="#ffffff")
    draw.text((right - 6, bottom - 4), text, font=face, fill=INK, anchor="rb")
    return [taken]


def draw_street_names(
    image: Image.Image, streets: Sequence[tuple[str, BaseGeometry]], taken: list[Box]
) -> None:
    """A few names of the longest streets in the picture, on their line, never overlapping."""
    face = font(19, bold=True)
    draw = ImageDraw.Draw(image)
    bounds = (4.0, 4.0, image.width - 4.0, image.height - 4.0)
    placed = list(taken)
    shown = 0
    for name, lines in sorted(streets, key=lambda street: -street[1].length):
        if shown == MAX_STREET_NAMES or lines.is_empty:
            break
        point = _middle(lines)
        if point is None:
            continue
        box = draw.textbbox(point, name, font=face, anchor="mm", stroke_width=3)
        if not _inside(box, bounds) or any(_overlap(box, other) for other in placed):
            continue
        draw.text(point, name, font=face, anchor="mm", fill=MUTED, stroke_width=3, stroke_fill=HALO)
        placed.append((box[0] - 8, box[1] - 4, box[2] + 8, box[3] + 4))
        shown += 1


def _middle(lines: BaseGeometry) -> tuple[float, float] | None:
    parts = [part for part in shapely.get_parts(lines) if isinstance(part, LineString)]
    if not parts:
        return None
    point = max(parts, key=lambda part: part.length).interpolate(0.5, normalized=True)
    return (point.x, point.y)


def _inside(box: Box, bounds: Box) -> bool:
    return (
        box[0] >= bounds[0] and box[1] >= bounds[1] and box[2] <= bounds[2] and box[3] <= bounds[3]
    )


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
