"""The shipped nginx site (deploy/nginx/statusmap.conf) in front of the app under gunicorn: nginx
accepts it, public reads come from its micro-cache, and nothing personal ever does."""

from __future__ import annotations

import gzip
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.surge_nginx import Nginx
from benchmarks.surge_nginx import check_conf
from benchmarks.surge_nginx import microcache
from benchmarks.surge_processes import app_environment
from benchmarks.surge_processes import gunicorn
from benchmarks.surge_targets import Answer
from benchmarks.surge_targets import fetch
from tests.conftest import prepare_database

GEOJSON = "/api/v1/demo/incidents.geojson"
PLAIN = {"Accept-Encoding": "identity"}
SESSION = {**PLAIN, "Cookie": "statusmap_lang=nb; statusmap_session=.eJyrVkrOz0nNSy9WsqpWyk"}


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nginx]:
    if not shutil.which("nginx", path="/usr/sbin:/usr/bin"):
        from tests.setup_summary import skip_missing

        skip_missing("nginx is not installed (scripts/provision installs it)", "nginx")
    work = tmp_path_factory.mktemp("nginx")
    database = f"sqlite:///{work / 'statusmap.sqlite3'}"
    prepare_database(database)
    with (
        gunicorn("statusmap:create_app()", work / "app.log", app_environment(database)) as app,
        microcache(work / "nginx", app) as server,
    ):
        yield server


def get(server: Nginx, path: str, headers: dict[str, str] | None = None) -> Answer:
    return fetch(server.url, path, {**PLAIN, **(headers or {})})


def cache_status(answer: Answer) -> str | None:
    return answer.headers.get("X-Cache-Status")


def test_nginx_accepts_the_shipped_site(nginx: Nginx) -> None:
    checked = check_conf(nginx.workdir / "nginx.conf")
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr
    site = (nginx.workdir / "site.conf").read_text()
    assert "${" not in site and "proxy_cache_lock on;" in site


@pytest.mark.parametrize("path", [GEOJSON, "/demo/"])
def test_a_public_read_is_a_hit_the_second_time(nginx: Nginx, path: str) -> None:
    time.sleep(1.1)  # whatever an earlier test left has expired
    first, second = get(nginx, path), get(nginx, path)
    assert first.status == second.status == 200
    assert cache_status(first) in ("MISS", "EXPIRED", "STALE", "UPDATING")
    assert cache_status(second) == "HIT"
    if path == GEOJSON:
        assert first.body == second.body


def test_the_session_cookie_is_never_answered_from_the_cache_nor_stored(nginx: Nginx) -> None:
    assert cache_status(get(nginx, GEOJSON)) is not None
    assert cache_status(get(nginx, GEOJSON)) == "HIT"  # a copy is there, and not handed out:
    for _ in range(3):
        assert cache_status(get(nginx, GEOJSON, SESSION)) == "BYPASS"
    fresh = f"{GEOJSON}?include=resolved"
    assert get(nginx, fresh, SESSION).status == 200
    assert cache_status(get(nginx, fresh)) == "MISS"  # the staff member's answer was not kept


@pytest.mark.parametrize("path", ["/staff/", "/auth/login", "/tiles/"])
def test_staff_and_login_pages_never_pass_the_cache(nginx: Nginx, path: str) -> None:
    for _ in range(3):
        answer = get(nginx, path)
        assert cache_status(answer) is None
        assert answer.status < 500


def test_a_post_is_never_answered_from_the_cache(nginx: Nginx) -> None:
    get(nginx, GEOJSON)
    assert cache_status(get(nginx, GEOJSON)) == "HIT"
    host, port = nginx.url.removeprefix("http://").split(":")
    import http.client

    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("POST", GEOJSON, body=b"{}", headers=PLAIN)
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 405  # the app's answer to a POST, not the cached GeoJSON
    assert response.getheader("X-Cache-Status") in (None, "BYPASS")


def test_an_answer_that_sets_a_cookie_is_not_kept(nginx: Nginx) -> None:
    answers = [get(nginx, "/demo/?lang=en") for _ in range(2)]
    assert all("statusmap_lang=en" in a.headers.get("Set-Cookie", "") for a in answers)
    assert [cache_status(a) for a in answers] == ["MISS", "MISS"]


def test_each_language_has_its_own_copy(nginx: Nginx) -> None:
    page = "/demo/?for=languages"  # a URL of this test's own: no copy from another test
    for language in ("nb", "en", "nn", "en", "nb"):
        answer = get(nginx, page, {"Cookie": f"statusmap_lang={language}"})
        assert f'<html lang="{language}"'.encode() in answer.body
    for header, language in (("nb-NO,nb;q=0.9", "nb"), ("en-GB,en;q=0.9", "en")):
        answer = get(nginx, page, {"Accept-Language": header})
        assert f'<html lang="{language}"'.encode() in answer.body


def test_each_content_coding_has_its_own_copy(nginx: Nginx) -> None:
    path = f"{GEOJSON}?for=codings"
    # The compressed copy first: nginx would gzip a plain copy itself, but never gunzip.
    zipped = get(nginx, path, {"Accept-Encoding": "gzip"})
    plain = get(nginx, path)
    assert zipped.headers.get("Content-Encoding") == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(zipped.body) == plain.body
    assert json.loads(plain.body)["type"] == "FeatureCollection"


def test_static_files_come_from_nginx_with_long_lives_when_versioned(nginx: Nginx) -> None:
    css = Path(__file__).parents[2] / "static" / "css" / "statusmap.css"
    plain = get(nginx, "/static/css/statusmap.css")
    assert plain.status == 200 and plain.body == css.read_bytes()
    assert plain.headers["Cache-Control"] == "max-age=3600"
    assert cache_status(plain) is None
    versioned = get(nginx, "/static/css/statusmap.css?v=70a4b3312dbab5ea")
    assert versioned.headers["Cache-Control"] == "max-age=315360000"
    zipped = get(nginx, "/static/css/statusmap.css", {"Accept-Encoding": "gzip"})
    assert gzip.decompress(zipped.body) == css.read_bytes()
