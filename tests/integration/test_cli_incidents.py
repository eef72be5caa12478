"""`statusmap incident create`: Norwegian times around the summer-time changes, and notes."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlalchemy import select

from statusmap.models import Incident

TITLE = "Vannet er stengt i Storgata"
# A small square in the demo town (Gran), lon/lat.
SQUARE = [[10.55, 60.35], [10.56, 60.35], [10.56, 60.36], [10.55, 60.36], [10.55, 60.35]]


@pytest.fixture
def area(tmp_path: Path) -> Path:
    path = tmp_path / "area.geojson"
    path.write_text(json.dumps({"type": "Polygon", "coordinates": [SQUARE]}), encoding="utf-8")
    return path


def _create(app, area: Path, *args: str):  # type: ignore[no-untyped-def]
    base = ["incident", "create", "--municipality", "demo", "--kind", "shutdown"]
    return app.test_cli_runner().invoke(
        args=[*base, "--title-nb", TITLE, "--area", str(area), *args]
    )


def _count(session) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count(Incident.id)))


def _created(session) -> Incident:  # type: ignore[no-untyped-def]
    return session.scalars(select(Incident).order_by(Incident.id.desc())).first()


def test_a_time_skipped_by_summer_time_is_refused(app, session, area: Path) -> None:
    before = _count(session)
    result = _create(app, area, "--starts", "2027-03-28T02:30")  # 02:00 became 03:00
    assert result.exit_code == 2
    assert "'--starts'" in result.output
    assert "2027-03-28T02:30 does not exist in Norwegian time" in result.output
    assert _count(session) == before


def test_a_time_that_happens_twice_needs_an_offset(app, session, area: Path) -> None:
    before = _count(session)
    # 03:00 became 02:00 that night
    result = _create(
        app, area, "--starts", "2026-10-25T01:00", "--expected-end", "2026-10-25T02:30"
    )
    assert result.exit_code == 2
    assert "'--expected-end'" in result.output and "happens twice" in result.output
    assert "2026-10-25T02:30:00+02:00" in result.output
    assert "2026-10-25T02:30:00+01:00" in result.output
    assert _count(session) == before


@pytest.mark.parametrize(
    ("given", "utc"),
    [
        ("2026-10-25T02:30+02:00", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        ("2026-10-25T02:30+01:00", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
        ("2026-10-25T03:30", datetime(2026, 10, 25, 2, 30, tzinfo=UTC)),  # winter time again
        ("2027-03-28T03:30", datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),  # summer time
    ],
)
def test_times_with_an_offset_or_outside_the_changes(
    app, session, area: Path, given: str, utc: datetime
) -> None:
    result = _create(app, area, "--status", "scheduled", "--starts", given)
    assert result.exit_code == 0, result.output
    assert _created(session).starts_at == utc


def test_an_area_with_heights_is_stored_in_2d_and_the_command_says_so(
    app, session, tmp_path: Path
) -> None:
    """GIS exports often carry Z: the area is stored flat on both backends, and the user told."""
    from statusmap.gis.validation import Z_DROPPED

    path = tmp_path / "area3d.geojson"
    ring = [[lon, lat, 212.5] for lon, lat in SQUARE]
    path.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}), encoding="utf-8")
    result = _create(app, path)
    assert result.exit_code == 0, result.output
    assert "Created incident" in result.stdout
    assert result.stderr.strip() == Z_DROPPED
    incident = _created(session)
    assert incident.text("title", "nb") == TITLE and not incident.area.has_z
