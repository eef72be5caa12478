"""Fuzzed JSON reports to POST /api/v1/<slug>/reports: never a 5xx, never an invalid stored row.

Hypothesis sends payloads that are nearly right and payloads that are wrong in every way a
client can get them wrong (types, huge and non-finite numbers, odd unicode, control characters,
missing fields, odd times and zones). After each one, every stored report is checked as a
reader of the table would: a known kind, a point within the municipality's reach, a short text
without control characters, a contact only with consent, a start that is not in the future.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from datetime import timezone

import numpy as np
import pytest
import shapely
from flask import Flask
from hypothesis import HealthCheck
from hypothesis import event
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy import text as sql

from statusmap.db import get_db
from statusmap.models import Municipality
from statusmap.models import Report
from statusmap.models import ReportKind
from tests.conftest import rolled_back_app

URL = "/api/v1/demo/reports"
TOLERANCE_M = 2_000
LINE_BREAKS = "\n\r\t"
OPTIONAL = {"address", "observed_since", "text", "contact", "consent"}


@pytest.fixture
def roomy(database_url: str) -> Iterator[Flask]:
    with rolled_back_app(
        database_url,
        REPORT_LIMIT_PER_CLIENT="100000/minute",
        REPORT_LIMIT_PER_AREA="100000/minute",
        BOUNDARY_TOLERANCE_M=TOLERANCE_M,
    ) as app:
        yield app


NOW = datetime.now(UTC)
odd_numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.sampled_from([0, -0.0, 1e308, -1e308, 5e-324, 10**400]),
)
near_demo = st.tuples(st.floats(60.31, 60.41), st.floats(10.45, 10.67))  # the demo and its margin
odd_text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec=None), min_size=490, max_size=520),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Co"]), max_size=20),
    st.sampled_from(["\ud800", "a\udfffb", "\x00", "x\x7fy", "\u0085", "\u202e", "  ", "\ufeff"]),
)
json_junk = st.recursive(
    st.none() | st.booleans() | odd_numbers | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
zones = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12, minutes=-30))]
)


@st.composite
def odd_times(draw: st.DrawFn) -> object:
    """A time as a client might send it: near now or absurdly far, with or without a zone."""
    when = draw(
        st.one_of(
            st.timedeltas(min_value=timedelta(days=-20), max_value=timedelta(days=2)).map(
                lambda delta: NOW + delta
            ),
            st.datetimes(timezones=zones),
            st.sampled_from([datetime.min, datetime.max]),
        )
    )
    zone = draw(zones)
    shown = when.astimezone(zone) if zone and when.tzinfo else when
    return draw(
        st.sampled_from(
            [
                shown.isoformat(),
                shown.replace(tzinfo=None).isoformat(timespec="minutes"),
                shown.isoformat().replace("+", " +"),
                "2026-03-29T02:30",
                "2025-10-26T02:30",
                "0001-01-01T00:00",
                "9999-12-31T23:59:59-23:59",
                "i går",
            ]
        )
    )


@st.composite
def payloads(draw: st.DrawFn) -> object:
    """Mostly a usable report with up to two fields broken or left out; sometimes no object."""
    lat, lon = draw(near_demo)
    right: dict[str, st.SearchStrategy[object]] = {
        "kind": st.sampled_from([k.value for k in ReportKind]),
        "lat": st.one_of(st.just(lat), st.just(str(lat))),
        "lon": st.one_of(st.just(lon), st.just(str(lon))),
        "address": odd_text,
        "observed_since": odd_times(),
        "text": st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs"])) | odd_text,
        "contact": st.sampled_from(["kari@example.no", "+47 912 34 567", "kari\x7f@a.no", ""]),
        "consent": st.booleans(),
    }
    wrong: dict[str, st.SearchStrategy[object]] = {
        "kind": st.sampled_from(["flood", "NO_WATER", " no_water"]) | json_junk,
        "lat": odd_numbers | json_junk,
        "lon": odd_numbers | json_junk,
    }
    broken = draw(st.sets(st.sampled_from(sorted(right)), max_size=2))
    body: dict[str, object] = {}
    for key in sorted(right):
        if key in OPTIONAL and not draw(st.booleans()):
            continue
        if key not in broken:
            body[key] = draw(right[key])
        elif draw(st.booleans()):
            body[key] = draw(wrong.get(key, json_junk))
    return draw(st.one_of(st.just(body), st.just(body), st.just(body), json_junk))


def _reach(app: Flask) -> tuple[Municipality, Transformer]:
    with app.app_context():
        session = get_db(app).session()
        demo = session.scalars(select(Municipality).where(Municipality.slug == "demo")).one()
        session.expunge(demo)
    return demo, Transformer.from_crs(4326, demo.utm_epsg, always_xy=True)


def _problems(row: Report, demo: Municipality, to_utm: Transformer, now: datetime) -> list[str]:
    def utm(geometry: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geometry, lambda xy: np.column_stack(to_utm.transform(*xy.T)))

    distance = utm(demo.boundary).distance(utm(Point(row.location.x, row.location.y)))
    plain = all(
        c in LINE_BREAKS or unicodedata.category(c) not in ("Cc", "Cs") for c in row.text
    ) and all(unicodedata.category(c) not in ("Cc", "Cs") for c in row.contact or "")
    checks = {
        "kind": row.kind in set(ReportKind),
        "reach": distance <= TOLERANCE_M + 1,
        "text length": len(row.text) <= 500,
        "control characters": plain,
        "contact without consent": row.contact is None or row.contact_consent,
        "future start": row.observed_since <= now + timedelta(minutes=5),
    }
    return [name for name, passed in checks.items() if not passed]


def _stored_kinds(app: Flask) -> set[str]:
    with app.app_context():
        return set(get_db(app).session().scalars(sql("SELECT kind FROM report")))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=payloads())
def test_fuzzed_reports_never_fail_the_server_nor_store_an_invalid_row(
    roomy: Flask, body: object
) -> None:
    demo, to_utm = _reach(roomy)
    raw = json.dumps(body, allow_nan=True)
    try:
        response = roomy.test_client().post(URL, data=raw, content_type="application/json")
        answer = response.get_json()
        event(f"{response.status_code} {answer.get('code', '')}")
        assert response.status_code in (201, 400, 422), response.get_data(as_text=True)
        assert answer["code" if response.status_code != 201 else "reference"]
        assert _stored_kinds(roomy) <= {kind.value for kind in ReportKind}
        with roomy.app_context():
            rows = list(get_db(roomy).session().scalars(select(Report)))
            bad = {
                (row.text, row.contact): _problems(row, demo, to_utm, datetime.now(UTC))
                for row in rows
            }
        assert not {key: value for key, value in bad.items() if value}
    finally:
        _forget_reports(roomy)


def _forget_reports(app: Flask) -> None:
    """Each example starts from no reports, so a failing one fails on its own."""
    with app.app_context():
        session = get_db(app).session()
        session.execute(sql("DELETE FROM report"))
        session.commit()


@pytest.mark.parametrize(
    "address", ["\ud800", "a\x00b", "x" * 5000, "%_%", "Møllegata\x7f", "'; DROP TABLE report;--"]
)
def test_odd_addresses_without_a_point_are_refused_not_failed(roomy: Flask, address: str) -> None:
    body = json.dumps({"kind": "sewer", "address": address})
    response = roomy.test_client().post(URL, data=body, content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.get_json()["field"] in ("address", "text")
    assert _stored_kinds(roomy) == set()
