"""Web behaviour around the pages: language choice, headers, absolute links, the demo guard."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from shapely.geometry import box

from statusmap import create_app
from statusmap.db import get_db
from statusmap.demo import load_demo
from statusmap.models.base import utcnow
from tests.conftest import rolled_back_app
from tests.factories import make_municipality


def _lang(client, **headers) -> str:  # type: ignore[no-untyped-def]
    html = client.get("/demo/", headers=headers).get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_browser_language_then_cookie_then_parameter(client) -> None:
    assert _lang(client) == "nb"
    assert _lang(client, **{"Accept-Language": "en-GB,en;q=0.8"}) == "en"
    assert _lang(client, **{"Accept-Language": "nn-NO"}) == "nn"
    assert _lang(client, **{"Accept-Language": "no"}) == "nb"
    assert _lang(client, **{"Accept-Language": "sv-SE"}) == "nb"
    response = client.get("/demo/?lang=nn", headers={"Accept-Language": "en"})
    assert "statusmap_lang=nn" in response.headers["Set-Cookie"]
    assert _lang(client, **{"Accept-Language": "en"}) == "nn", "the choice is remembered"


def test_only_configured_languages_are_offered(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "t", "LANGUAGES": ["nb", "nn"]})
    try:
        client = app.test_client()
        html = client.get("/demo/").get_data(as_text=True)
        assert "Nynorsk" in html and "English" not in html
        response = client.get("/demo/?lang=en")
        assert "Set-Cookie" not in response.headers
        assert '<html lang="nb">' in response.get_data(as_text=True)
    finally:
        get_db(app).engine.dispose()


def test_headers_of_pages_and_api(client) -> None:
    page = client.get("/demo/")
    csp = page.headers["Content-Security-Policy"]
    # A public page is kept and handed out to everyone: its own inline scripts and styles are
    # allowed by their hashes, nothing else inline.
    scripts = re.findall(r"<script>(.*?)</script>", page.get_data(as_text=True), re.DOTALL)
    assert scripts and "unsafe-inline" not in csp and "'nonce-" not in csp
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert {"Accept-Language", "Cookie"} <= set(page.vary)
    api = client.get("/api/v1/demo/incidents.geojson")
    assert api.headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept-Language" in api.vary
    # A page made for one visitor (the login form) carries a fresh nonce each time.
    login = client.get("/auth/login")
    login_csp = login.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in login_csp
    assert client.get("/auth/login").headers["Content-Security-Policy"] != login_csp


def test_absolute_links_use_the_public_base_url(database_url: str) -> None:
    with rolled_back_app(database_url) as app:
        app.config["PUBLIC_BASE_URL"] = "https://vann.example.no"
        client = app.test_client()
        body = client.get("/api/v1/municipalities", headers={"Host": "evil.example"}).get_json()
        demo = next(m for m in body["municipalities"] if m["slug"] == "demo")
        assert demo["links"]["page"] == "https://vann.example.no/demo/"


def test_demo_never_takes_over_a_real_municipality(app, session) -> None:
    make_municipality(
        session, slug="demo", kommunenummer="3446", boundary=box(10.5, 60.33, 10.62, 60.39)
    )
    # make_municipality updated the demo row in place; it is now marked as real.
    with pytest.raises(ValueError, match="real municipality"):
        load_demo(session, now=utcnow())


def _demo_page_link(client, headers: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/municipalities", headers=headers).get_json()
    return next(m for m in body["municipalities"] if m["slug"] == "demo")["links"]["page"]


def test_forwarded_host_and_prefix_cannot_rewrite_links(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app's own middleware, as a deployment behind one proxy configures it.
    monkeypatch.setenv("STATUSMAP_PROXY_COUNT", "1")
    forged = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Prefix": "/evil.example",
    }
    with rolled_back_app(database_url) as app:
        assert app.config["PROXY_COUNT"] == 1
        client = app.test_client()
        # Without a base URL links follow the request: the proxy's scheme is trusted,
        # the host and mount point come from the request itself.
        assert _demo_page_link(client, forged) == "https://localhost/demo/"
        app.config["PUBLIC_BASE_URL"] = "https://vann.example.no"
        assert _demo_page_link(client, forged) == "https://vann.example.no/demo/"
        page = client.get("/demo/", headers=forged)
        assert page.status_code == 200 and "evil.example" not in page.get_data(as_text=True)


def test_images_come_from_our_own_host_only(client) -> None:
    """Tiles come through our proxy, so the policy names no other host."""
    csp = client.get("/demo/").headers["Content-Security-Policy"]
    assert "img-src 'self' data:;" in csp and "://" not in csp


def test_aliases_only_lead_to_offered_languages(database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "t", "LANGUAGES": ["nb", "en"]})
    try:
        html = (
            app.test_client()
            .get("/demo/", headers={"Accept-Language": "nno"})
            .get_data(as_text=True)
        )
        assert '<html lang="nb">' in html
    finally:
        get_db(app).engine.dispose()


LANGUAGE_HEADERS = {"Accept-Language", "Cookie"}


def test_api_responses_are_cached_only_when_cacheable(client) -> None:
    ok = client.get("/api/v1/demo/incidents.geojson")
    assert (
        ok.status_code == 200
        and ok.headers["Cache-Control"] == "public, max-age=10, stale-while-revalidate=30"
    )
    assert client.head("/api/v1/demo/incidents.geojson").headers["Cache-Control"] == (
        "public, max-age=10, stale-while-revalidate=30"
    )
    for failed in (
        client.get("/api/v1/atlantis/incidents.geojson"),  # 404
        client.get("/api/v1/demo/incidents/at?lon=x"),  # 400
        client.post("/api/v1/demo/incidents.geojson"),  # 405
    ):
        assert failed.status_code >= 400 and failed.headers.get("Cache-Control") == "no-store"


def test_responses_that_set_a_cookie_are_not_stored(app) -> None:
    for url in ("/demo/?lang=en", "/api/v1/demo/incidents.geojson?lang=en"):
        client = app.test_client()  # without the cookie
        response = client.get(url)
        assert "statusmap_lang=en" in response.headers["Set-Cookie"]
        assert response.headers.get("Cache-Control") == "no-store", url
    # The cookie is now remembered: the same URL sets nothing and may be shared again.
    again = client.get("/api/v1/demo/incidents.geojson?lang=en")
    assert "Set-Cookie" not in again.headers
    assert again.headers["Cache-Control"] == "public, max-age=10, stale-while-revalidate=30"


def test_vary_names_only_what_chose_the_language(client) -> None:
    chosen_by_browser = client.get("/api/v1/demo/incidents.geojson")
    assert set(chosen_by_browser.vary) >= LANGUAGE_HEADERS
    client.set_cookie("statusmap_lang", "nn")
    chosen_by_cookie = client.get("/demo/")
    assert '<html lang="nn">' in chosen_by_cookie.get_data(as_text=True)
    assert set(chosen_by_cookie.vary) >= LANGUAGE_HEADERS
    for fixed_by_url in ("/demo/?lang=nn", "/api/v1/demo/incidents.geojson?lang=nn"):
        assert not LANGUAGE_HEADERS & set(client.get(fixed_by_url).vary), fixed_by_url


def test_no_language_vary_where_the_language_plays_no_part(client) -> None:
    # Every language's names at once, and files that never change with the language.
    varying = []
    for url in ("/api/v1/municipalities", "/static/css/statusmap.css"):
        response = client.get(url)
        assert response.status_code == 200, url
        if LANGUAGE_HEADERS & set(response.vary):
            varying.append(url)
        response.close()
    assert varying == []


def test_an_html_error_page_follows_the_language_but_is_not_stored(client) -> None:
    response = client.get("/atlantis/", headers={"Accept-Language": "en"})
    assert response.status_code == 404 and '<html lang="en">' in response.get_data(as_text=True)
    assert set(response.vary) >= LANGUAGE_HEADERS
    assert response.headers.get("Cache-Control") == "no-store"
