"""The staff notification views in a real Chromium: the preview and "send a test to myself" on
an incident's page, the notifications page with its counts in words and a resend of the failed
ones; axe-core (WCAG 2.1 AA) on both pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from shapely.geometry import MultiPolygon
from shapely.geometry import box
from sqlalchemy import select
from sqlalchemy import update

from statusmap import create_app
from statusmap.auth.accounts import create_user
from statusmap.auth.accounts import grant_role
from statusmap.db import get_db
from statusmap.models import Municipality
from statusmap.models import OutboxMessage
from statusmap.models import Role
from statusmap.models.audit import Actor
from statusmap.notify.expand import expand_pending
from tests.browser.conftest import describe
from tests.browser.conftest import run_axe
from tests.browser.conftest import serve
from tests.conftest import prepare_database
from tests.factories import make_address
from tests.factories import make_incident
from tests.notify_factories import make_subscriber

pytestmark = pytest.mark.browser

PASSWORD = "varsler-i-nettleseren"
EDITOR = "kari.varsler@example.com"


@pytest.fixture(scope="module")
def notify_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A database of this module's own: an editor, two subscribers, a published incident whose
    SMS failed, served."""
    url = f"sqlite:///{tmp_path_factory.mktemp('notify') / 'statusmap.sqlite3'}"
    prepare_database(url)
    app = create_app({"DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        session = get_db(app).session()
        demo = session.scalar(select(Municipality).where(Municipality.slug == "demo"))
        assert demo is not None
        user = create_user(session, email=EDITOR, password=PASSWORD, actor=Actor("test"))
        grant_role(session, user, demo, Role.EDITOR, actor=Actor("test"))
        home = make_address(session, demo, 10.557, 60.362, "browser-home")
        make_subscriber(
            session, demo, [home], phone="+4791200001", email="b@x.no", channels=("sms", "email")
        )
        area = MultiPolygon([box(10.555, 60.36, 10.565, 60.365)])
        incident = make_incident(session, demo, area, title="Vannet er stengt i Storgata")
        session.commit()
        expand_pending(session, limit=5, base_url="https://vann.example.no")
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.incident_id == incident.id, OutboxMessage.channel == "sms")
            .values(status="failed", attempts=5, last_error="Gatewayen svarte 500")
        )
        session.commit()
        incident_id = incident.id
    get_db(app).engine.dispose()
    with serve(url, TILE_LAYERS=[]) as base:
        yield base, incident_id


def _log_in(page, base: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/auth/login?next={path}")
    page.get_by_label("E-postadresse").fill(EDITOR)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"**{path}")


def test_the_notification_pages_have_no_axe_violations(axe_page, notify_server) -> None:  # type: ignore[no-untyped-def]
    base, incident_id = notify_server
    _log_in(axe_page, base, f"/staff/demo/incidents/{incident_id}/varsler")
    assert axe_page.get_by_text("Gatewayen svarte 500").is_visible()  # the failures are shown
    violations = run_axe(axe_page)
    assert not violations, describe(violations)
    axe_page.goto(f"{base}/staff/demo/incidents/{incident_id}")
    axe_page.locator(".notify-preview").wait_for()
    violations = run_axe(axe_page)
    assert not violations, describe(violations)


def test_preview_test_and_resend(page, notify_server) -> None:  # type: ignore[no-untyped-def]
    base, incident_id = notify_server
    _log_in(page, base, f"/staff/demo/incidents/{incident_id}")
    preview = page.locator(".notify-preview")
    assert "Et varsel nå når 1 abonnenter" in (preview.text_content() or "")
    assert "tegnsett GSM 03.38" in (preview.text_content() or "")
    page.get_by_role("button", name="Send en test til meg selv").click()
    page.wait_for_url(f"**/staff/demo/incidents/{incident_id}")
    assert page.get_by_text(f"En test er sendt til {EDITOR}.").is_visible()

    page.get_by_role("link", name="Se varsler som er sendt for hendelsen").click()
    page.wait_for_url(f"**/staff/demo/incidents/{incident_id}/varsler")
    row = page.locator("tr", has=page.get_by_role("rowheader", name="SMS"))
    assert row.locator("td").nth(4).text_content() == "1"  # the fifth status: failed, in words
    failures = page.locator("table").last
    assert "+47******01" in (failures.text_content() or "")
    assert "Gatewayen svarte 500" in (failures.text_content() or "")
    page.get_by_role("button", name="Send de feilede på nytt").click()
    page.wait_for_url(f"**/staff/demo/incidents/{incident_id}/varsler")
    assert page.get_by_text("1 feilede og 0 usikre meldinger er lagt i kø igjen.").is_visible()
    assert page.get_by_text("Ingen meldinger har feilet.").is_visible()
    assert not page.console_errors, page.console_errors
