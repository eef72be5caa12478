"""The URLs the surge benchmark reads, found in the demo municipality; their recorded answers."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from shapely.geometry import shape

from benchmarks.surge_wrk import BROWSER_HEADERS


@dataclass(frozen=True)
class Target:
    """One public read: its name in the report, its path, and what stood in for a missing route."""

    name: str
    path: str
    note: str = ""


@dataclass(frozen=True)
class Answer:
    """One response: status, headers (names as sent) and body bytes as they came (still coded)."""

    status: int
    headers: dict[str, str]
    body: bytes


def fetch(address: str, path: str, headers: dict[str, str] | None = None) -> Answer:
    """GET path from host:port with a browser's headers (plus any given); nothing decoded."""
    host, port = address.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.request("GET", path, headers={**BROWSER_HEADERS, **(headers or {})})
        response = connection.getresponse()
        return Answer(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


def _plain_json(address: str, path: str) -> object:
    answer = fetch(address, path, {"Accept-Encoding": "identity"})
    if answer.status != 200:
        raise RuntimeError(f"GET {path} answered {answer.status}: {answer.body[:300]!r}")
    return json.loads(answer.body)


def _first_of(address: str, candidates: list[Target]) -> Target:
    """The first candidate the app serves (not 404); the last one otherwise, noted as missing."""
    for candidate in candidates:
        if fetch(address, candidate.path, {"Accept-Encoding": "identity"}).status != 404:
            return candidate
    return candidates[-1]


def find_targets(address: str) -> tuple[list[Target], list[str]]:
    """The GeoJSON, an incident page, the affected endpoint and the change feed of the demo;
    stand-ins where a route is not built yet, and notes saying so."""
    municipalities = _plain_json(address, "/api/v1/municipalities")
    slug = municipalities["municipalities"][0]["slug"]  # type: ignore[index]
    geojson = f"/api/v1/{slug}/incidents.geojson"
    features = _plain_json(address, geojson)["features"]  # type: ignore[index]
    active = [f for f in features if f["properties"].get("status") == "active"] or features
    if not active:
        raise RuntimeError(f"the demo municipality {slug!r} has no incidents to read")
    incident = active[0]
    point = shape(incident["geometry"]).representative_point()
    where = {"lat": f"{point.y:.6f}", "lon": f"{point.x:.6f}"}
    page = _first_of(
        address,
        [
            Target("incident page", f"/{slug}/hendelse/{incident['id']}"),
            Target("incident page", f"/{slug}/", "the municipality page: no incident page yet"),
        ],
    )
    affected = _first_of(
        address,
        [
            Target("affected", f"/api/v1/{slug}/affected?{urlencode(where)}"),
            Target(
                "affected",
                f"/api/v1/{slug}/incidents/at?lon={where['lon']}&lat={where['lat']}",
                "/incidents/at: no /affected endpoint yet",
            ),
        ],
    )
    targets = [Target("GeoJSON", geojson), page, affected]
    notes = [f"{t.name}: {t.path} stands in ({t.note})" for t in targets if t.note]
    changes = f"/api/v1/{slug}/changes"
    if fetch(address, changes, {"Accept-Encoding": "identity"}).status == 404:
        notes.append(f"live updates: {changes} answers 404 (not built yet), skipped")
    else:
        targets.append(Target("live updates", changes))
    return targets, notes


def record(address: str, targets: list[Target], directory: Path) -> dict[str, dict]:
    """Each target's answer from the app, bytes in a file: the constants the references serve."""
    directory.mkdir(parents=True, exist_ok=True)
    recording = {}
    for number, target in enumerate(targets):
        answer = fetch(address, target.path)
        if answer.status != 200:
            raise RuntimeError(f"GET {target.path} answered {answer.status}")
        file = directory / f"answer-{number}.bin"
        file.write_bytes(answer.body)
        kept = {"Content-Type": answer.headers["Content-Type"]}
        if "Content-Encoding" in answer.headers:
            kept["Content-Encoding"] = answer.headers["Content-Encoding"]
        recording[target.path] = {"file": str(file), "headers": kept}
    return recording
