"""Public reads are cheap to repeat: compressed text, ETags of the plain bytes, 304 on a match,
also when the copy a client holds was compressed (its ETag then names the encoding)."""

from __future__ import annotations

import gzip
import json

from flask.testing import FlaskClient

GEOJSON = "/api/v1/demo/incidents.geojson"


def test_text_is_compressed_for_clients_that_accept_it(client: FlaskClient) -> None:
    plain = client.get(GEOJSON)
    packed = client.get(GEOJSON, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.data)) == json.loads(plain.data)
    assert len(packed.data) < len(plain.data) / 2
    assert "Accept-Encoding" in packed.headers["Vary"]
    page = client.get("/demo/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Demo kommune" in gzip.decompress(page.data).decode("utf-8")


def test_a_client_holding_the_current_copy_gets_304(client: FlaskClient) -> None:
    for headers in ({}, {"Accept-Encoding": "gzip"}):
        first = client.get(GEOJSON, headers=headers)
        etag = first.headers["ETag"]
        again = client.get(GEOJSON, headers={**headers, "If-None-Match": etag})
        assert again.status_code == 304, (headers, etag)
        assert again.data == b""
        assert again.headers["Cache-Control"].startswith("public, max-age=10")
    other = client.get(GEOJSON, headers={"If-None-Match": '"not-this-one"'})
    assert other.status_code == 200 and other.data


def test_the_etag_follows_the_content(client: FlaskClient) -> None:
    current = client.get(GEOJSON).headers["ETag"]
    with_resolved = client.get(GEOJSON + "?include=resolved").headers["ETag"]
    assert current != with_resolved
    assert client.get(GEOJSON).headers["ETag"] == current  # the same bytes, the same validator


def test_a_304_is_decided_before_anything_is_compressed(client: FlaskClient, monkeypatch) -> None:
    import flask_compress.flask_compress as library

    etag = client.get(GEOJSON, headers={"Accept-Encoding": "gzip"}).headers["ETag"]
    calls = []
    original = library._compress_data
    monkeypatch.setattr(library, "_compress_data", lambda *a: calls.append(a) or original(*a))
    again = client.get(GEOJSON, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304
    assert calls == []
