"""Municipality input: slugs (plain ASCII, never the app's own paths) and kommunenummer."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlalchemy import select

from statusmap.models import Municipality
from statusmap.municipalities import get_municipality
from tests.factories import make_municipality


def _count(session) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count(Municipality.id)))


@pytest.mark.parametrize("slug", ["kristiansand", "nord-aurdal", "bo-i-telemark", "a", "a" * 60])
def test_plain_slugs_are_accepted(session, slug: str) -> None:
    make_municipality(session, slug=slug)
    assert get_municipality(session, slug) is not None


@pytest.mark.parametrize(
    "slug",
    [
        "trømso",  # non-ASCII letters: write "tromso"
        "bærum",
        "٣",  # an Arabic-Indic digit three, which str.isalnum accepts
        "ｏｓｌｏ",  # full-width letters
        "Oslo",
        "-oslo",
        "oslo-",
        "nord--aurdal",
        "nord aurdal",
        "nord_aurdal",
        "nord.aurdal",
        "",
        "a" * 61,  # longer than the column
    ],
)
def test_slugs_that_are_not_plain_url_segments_are_refused(session, slug: str) -> None:
    before = _count(session)
    with pytest.raises(ValueError, match="must be 1-60 characters of a-z and 0-9"):
        make_municipality(session, slug=slug)
    assert _count(session) == before


@pytest.mark.parametrize(
    "slug",
    ["api", "static", "staff", "embed", "auth", "tiles", "open311", "admin", "login", "logout"]
    + ["health", "feeds", "reports", "widget", "well-known"],
)
def test_slugs_the_app_needs_are_reserved(session, slug: str) -> None:
    before = _count(session)
    with pytest.raises(ValueError, match=f"slug '{slug}' is reserved"):
        make_municipality(session, slug=slug)
    assert _count(session) == before


@pytest.mark.parametrize("kommunenummer", ["٤٢٠٤", "４２０４", "420", "42045", "42a4"])
def test_kommunenummer_is_four_ascii_digits(session, kommunenummer: str) -> None:
    with pytest.raises(ValueError, match="must be four digits"):
        make_municipality(session, kommunenummer=kommunenummer)


def test_a_boundary_with_heights_is_stored_in_2d(session) -> None:
    """GIS exports often carry Z: it is dropped, the same way on both backends."""
    import shapely
    from shapely.geometry import box

    flat = box(8.05, 58.12, 8.12, 58.17)
    town = make_municipality(session, boundary=shapely.force_3d(flat, 12.0))
    session.expire_all()
    assert not shapely.has_z(town.boundary)
    assert town.boundary.equals(shapely.geometry.MultiPolygon([flat]))
