"""The share picture: a real PNG of 1200x630 whose area carries the kind's colour and pattern,
streets drawn where there are some, and only inside the frame."""

from __future__ import annotations

import time
from dataclasses import dataclass
from io import BytesIO

import pytest
from PIL import Image
from shapely.geometry import LineString
from shapely.geometry import MultiLineString
from shapely.geometry import Point
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from statusmap.kinds import KIND_STYLES
from statusmap.maps.share_banner import ShareTexts
from statusmap.maps.share_fonts import fit_lines
from statusmap.maps.share_fonts import font
from statusmap.maps.share_image import MAP_HEIGHT
from statusmap.maps.share_image import STREET_CASING
from statusmap.maps.share_image import ShareScene
from statusmap.maps.share_image import render_share_image
from statusmap.maps.share_image import share_frame
from statusmap.models import IncidentKind

AREA = box(8.080, 58.140, 8.090, 58.145)  # about 590 m x 560 m in Kristiansand
BOUNDARY = box(8.05, 58.12, 8.12, 58.17)
TEXTS = ShareTexts("Kokepålegg", "Pågår", "Kokepålegg i Korsvikfjorden", "Kristiansand", "© X")
BOIL = KIND_STYLES[IncidentKind.BOIL_WATER]


@dataclass
class _Street:
    name: str
    geometry: BaseGeometry


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _image(scene: ShareScene, texts: ShareTexts = TEXTS) -> Image.Image:
    data = render_share_image(scene, texts)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(BytesIO(data))
    image.load()  # decodes the whole file: a broken PNG fails here
    return image.convert("RGB")


def _pixel_of(scene: ShareScene, lon: float, lat: float) -> tuple[int, int]:
    point = share_frame(scene.focus, scene.utm_epsg).to_pixels(Point(lon, lat))
    return round(point.x), round(point.y)


def _colours(image: Image.Image) -> set[tuple[int, int, int]]:
    return {colour for _, colour in image.getcolors(image.width * image.height) or []}


def _colours_near(image: Image.Image, centre: tuple[int, int], radius: int) -> set:
    x, y = centre
    return _colours(image.crop((x - radius, y - radius, x + radius, y + radius)))


def test_a_png_of_1200_by_630() -> None:
    image = _image(ShareScene(AREA, BOIL, 25832, BOUNDARY))
    assert image.size == (1200, 630)


def test_the_area_carries_its_kind_colour_in_a_pattern_and_outside_does_not() -> None:
    scene = ShareScene(AREA, BOIL, 25832, BOUNDARY)
    image = _image(scene)
    inside = _colours_near(image, _pixel_of(scene, 8.085, 58.1425), 30)
    assert _rgb(BOIL.colour) in inside, "hatch lines in the kind's own colour"
    assert len(inside) >= 2, "a pattern (stripes over a tint), not a flat fill"
    outside = _colours_near(image, _pixel_of(scene, 8.0725, 58.1425), 20)
    assert _rgb(BOIL.colour) not in outside


def test_each_kind_is_drawn_in_its_own_colour() -> None:
    for kind in (IncidentKind.SHUTDOWN, IncidentKind.SEWER):
        scene = ShareScene(AREA, KIND_STYLES[kind], 25832, BOUNDARY)
        inside = _colours_near(_image(scene), _pixel_of(scene, 8.085, 58.1425), 30)
        assert _rgb(KIND_STYLES[kind].colour) in inside, kind


def test_streets_are_drawn_when_present_and_the_picture_works_without() -> None:
    street = _Street("Testveien", LineString([(8.070, 58.138), (8.070, 58.147)]))
    with_streets = ShareScene(AREA, BOIL, 25832, BOUNDARY, [street])
    on_street = _pixel_of(with_streets, 8.070, 58.1405)
    assert _rgb(STREET_CASING) in _colours_near(_image(with_streets), on_street, 6)
    bare = ShareScene(AREA, BOIL, 25832, BOUNDARY)
    assert _rgb(STREET_CASING) not in _colours_near(_image(bare), on_street, 6)


def test_streets_far_outside_the_frame_are_clipped_not_drawn() -> None:
    far = _Street("Langt unna", MultiLineString([[(8.0, 59.0), (8.1, 59.5)]]))
    long_line = _Street("", LineString([(7.0, 58.1425), (9.0, 58.1425)]))
    scene = ShareScene(AREA, BOIL, 25832, BOUNDARY, [far, long_line])
    assert _image(scene).size == (1200, 630)


def test_without_an_area_the_boundary_is_framed() -> None:
    scene = ShareScene(None, BOIL, 25832, BOUNDARY)
    image = _image(scene)
    centre = _colours_near(image, _pixel_of(scene, 8.085, 58.145), 20)
    assert _rgb(BOIL.colour) not in centre  # nothing marked


def test_the_banner_is_drawn_below_the_map() -> None:
    image = _image(ShareScene(AREA, BOIL, 25832, BOUNDARY))
    banner = _colours(image.crop((40, MAP_HEIGHT + 10, 1160, 630)))
    assert (255, 255, 255) in banner and len(banner) > 10, "text on white"
    assert _rgb(BOIL.colour) in _colours(image.crop((0, MAP_HEIGHT + 5, 10, 630)))


def test_a_long_title_is_cut_with_an_ellipsis_on_the_second_line() -> None:
    face = font(36)
    lines = fit_lines("Vannavstenging " * 40, face, 1100, 2)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(face.getlength(line) <= 1100 for line in lines)
    assert fit_lines("Kort", face, 1100, 2) == ["Kort"]


@pytest.mark.parametrize("letters", ["æøå ÆØÅ"])
def test_the_font_has_the_norwegian_letters(letters: str) -> None:
    face = font(30)
    # A font without a glyph draws the same "missing" box for each: all widths would be equal.
    widths = {face.getlength(letter) for letter in letters.replace(" ", "")}
    assert len(widths) > 1
    assert face.getname()[0] != "Aileron", "Pillow's own font has no æøå"


def test_the_demo_sized_picture_is_fast() -> None:
    streets = [
        _Street(f"Gate {n}", LineString([(8.07 + n * 0.001, 58.13), (8.07 + n * 0.001, 58.16)]))
        for n in range(40)
    ]
    scene = ShareScene(AREA, BOIL, 25832, BOUNDARY, streets)
    render_share_image(scene, TEXTS)  # fonts and hatch are made once
    started = time.perf_counter()
    render_share_image(scene, TEXTS)
    assert time.perf_counter() - started < 0.3
