"""`statusmap incident create` announces a public incident like the staff pages do: to all."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.models import Audience
from statusmap.models import EventKind
from statusmap.models import Incident
from statusmap.models import NotificationEvent
from statusmap.municipalities import get_municipality
from statusmap.notify.expand import expand_pending
from tests.factories import make_address
from tests.notify_factories import make_subscriber
from tests.notify_factories import sent

SQUARE = [[10.55, 60.35], [10.56, 60.35], [10.56, 60.36], [10.55, 60.36], [10.55, 60.35]]


def _create(app, tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    area = tmp_path / "area.geojson"
    area.write_text(json.dumps({"type": "Polygon", "coordinates": [SQUARE]}), encoding="utf-8")
    base = ["incident", "create", "--municipality", "demo", "--kind", "shutdown"]
    return app.test_cli_runner().invoke(
        args=[*base, "--title-nb", "Vannet er stengt", "--area", str(area), *args]
    )


def test_a_published_incident_from_the_cli_reaches_everyone_inside(
    app, session: Session, tmp_path: Path
) -> None:
    demo = get_municipality(session, "demo")
    inside = make_address(session, demo, 10.555, 60.355, "cli-inside")
    outside = make_address(session, demo, 10.58, 60.37, "cli-outside")
    make_subscriber(session, demo, [inside], email="inne@example.no")
    make_subscriber(session, demo, [outside], email="ute@example.no")
    session.commit()
    result = _create(app, tmp_path)
    assert result.exit_code == 0, result.output
    incident = session.scalars(select(Incident).order_by(Incident.id.desc())).first()
    assert incident is not None
    [event] = session.scalars(
        select(NotificationEvent).where(NotificationEvent.incident_id == incident.id)
    )
    assert event.kind is EventKind.PUBLISHED and event.audience is Audience.ALL
    assert expand_pending(session, limit=10, base_url="https://vann.example.no") >= 1
    assert {recipient for recipient, *_ in sent(session, event.id)} == {"inne@example.no"}


def test_a_draft_from_the_cli_is_not_announced(app, session: Session, tmp_path: Path) -> None:
    result = _create(app, tmp_path, "--status", "draft")
    assert result.exit_code == 0, result.output
    incident = session.scalars(select(Incident).order_by(Incident.id.desc())).first()
    assert incident is not None
    events = session.scalars(
        select(NotificationEvent).where(NotificationEvent.incident_id == incident.id)
    ).all()
    assert events == []
