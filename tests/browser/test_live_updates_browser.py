"""Live updates: an editor publishes on the staff side, and a resident's open public page shows
the new incident without reloading, keeps the resident's map view, and says so to screen
readers. The page polls the change stamp; the stamp lives in the database, so the staff page and
the public page may be served by different workers or hosts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect
from shapely.geometry import Polygon

from statusmap import create_app
from statusmap.db import get_db
from statusmap.models import IncidentStatus
from statusmap.municipalities import get_municipality
from tests.browser.conftest import serve
from tests.browser.test_staff_flow_browser import KARI
from tests.browser.test_staff_flow_browser import _log_in
from tests.browser.test_staff_flow_browser import flow_database  # noqa: F401  (a fixture)
from tests.browser.test_staff_flow_browser import flow_server as _staff_users  # noqa: F401
from tests.factories import make_incident

pytestmark = pytest.mark.browser

TITLE = "Vannavstenging i Skolegata (direkte oppdatering)"
AREA = Polygon([(10.5480, 60.3540), (10.5560, 60.3538), (10.5575, 60.3580), (10.5490, 60.3585)])
MAP = "window[document.querySelector('.status-layout__map .folium-map').id]"
ZONES = (  # zones are the layer groups with a tooltip (the boundary has none)
    f"(function(){{var n=0;{MAP}.eachLayer(function(l){{"
    "if(l.getTooltip&&l.getTooltip()&&l.eachLayer)n++});return n})()"
)


@pytest.fixture(scope="module")
def live_flow(flow_database: str, _staff_users: str) -> Iterator[tuple[str, int]]:  # noqa: F811
    """The flow database served with a short poll, and a draft waiting to be published."""
    app = create_app({"DATABASE_URL": flow_database, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        session = get_db(app).session()
        demo = get_municipality(session, "demo")
        assert demo is not None
        draft = make_incident(session, demo, AREA, status=IncidentStatus.DRAFT, title=TITLE)
        session.commit()
        draft_id = draft.id
    get_db(app).engine.dispose()
    with serve(flow_database, TILE_LAYERS=[], LIVE_POLL_INTERVAL_S=5) as url:
        yield url, draft_id


def test_a_published_incident_appears_on_an_open_page_without_reload(browser, live_flow) -> None:
    base, draft_id = live_flow
    resident = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    public = resident.new_page()
    public.goto(f"{base}/demo/")
    assert TITLE not in public.locator("main").inner_text()
    public.evaluate("window.sameDocument = true")
    public.evaluate(f"{MAP}.setView([60.3600, 10.5600], 15, {{animate: false}})")
    view = public.evaluate(f"[{MAP}.getCenter().lat, {MAP}.getCenter().lng, {MAP}.getZoom()]")
    zones_before = public.evaluate(ZONES)
    updated_before = public.locator("[data-live-updated]").get_attribute("datetime")

    editor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    staff = editor.new_page()
    _log_in(staff, base, KARI, f"/staff/demo/incidents/{draft_id}")
    staff.get_by_role("button", name="Publiser nå").first.click()
    staff.wait_for_selector("text=Hendelsen er publisert.")

    # Waited for through locators: the page's CSP forbids the string evaluation that
    # wait_for_function would use.
    public.locator(".status-layout__list").get_by_text(TITLE).first.wait_for(timeout=30_000)
    assert public.evaluate("window.sameDocument") is True, "the page was reloaded"
    assert public.evaluate(ZONES) == zones_before + 1, "the new zone is not on the map"
    after = public.evaluate(f"[{MAP}.getCenter().lat, {MAP}.getCenter().lng, {MAP}.getZoom()]")
    assert after == pytest.approx(view), "the resident's map view moved"
    expect(public.locator("[data-live-status]")).to_contain_text("oppdatert")
    status = public.locator("[data-live-status]")
    assert status.get_attribute("aria-live") == "polite"
    assert public.locator("[data-live-updated]").get_attribute("datetime") != updated_before
    shown = public.locator(".updated").inner_text()
    assert re.search(r"kl\. \d\d:\d\d (CET|CEST)$", shown), shown  # Oslo time, with its zone
    resident.close()
    editor.close()
