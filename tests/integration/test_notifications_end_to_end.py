"""Notifications end to end with real processes, as an IT person at a municipality would run
them: the demo served by `statusmap demo`, a real SMTP server, subscribers imported by
`statusmap subscribers import`, an incident published by `statusmap incident create`, and
`statusmap worker --until-idle`. The SMTP server then holds exactly one e-mail per subscriber
inside the area and none for those outside; each names the department, links to the incident
(followed on the running demo), and carries an unsubscribe link that works."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from shapely.geometry import box
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.engine import make_engine
from statusmap.models import Address
from statusmap.models import Municipality
from statusmap.models import Subscriber
from tests.conftest import new_postgis_database
from tests.fakes.smtp_server import smtp_server

STATUSMAP = Path(sys.executable).with_name("statusmap")
AREA = box(10.554, 60.3595, 10.5595, 60.3625)  # a block of the demo town's centre
TITLE = "Kokepåbud i testkvartalet"


@pytest.fixture(params=["sqlite", "postgis"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'demo.sqlite3'}"
        return
    with new_postgis_database(request.getfixturevalue("postgis_server")) as url:
        yield url


def _run(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(STATUSMAP), *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, (args, done.stdout[-3000:], done.stderr[-3000:])
    return done


def _serve_demo(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [str(STATUSMAP), "demo", "--port", "0"], env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    printed: list[str] = []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        line = process.stdout.readline()  # type: ignore[union-attr]
        if not line:
            break
        printed.append(line)
        found = re.search(r"running at (http://127\.0\.0\.1:\d+)/demo/", line)
        if found:
            return process, found.group(1)
    process.kill()
    raise AssertionError("".join(printed))


def _chosen_addresses(url: str) -> tuple[list[Address], list[Address], str]:
    """Five addresses inside the area and five well outside it, and the department's name."""
    engine = make_engine(url)
    with Session(engine) as session:
        demo = session.scalars(select(Municipality).where(Municipality.slug == "demo")).one()
        every = session.scalars(
            select(Address).where(Address.municipality_id == demo.id).order_by(Address.id)
        ).all()
        inside = [a for a in every if AREA.contains(a.location)][:5]
        outside = [a for a in every if a.location.distance(AREA) > 0.01][:5]
        department = demo.department["nb"]
    engine.dispose()
    assert len(inside) == 5 and len(outside) == 5
    return inside, outside, department


def _subscriber_file(tmp: Path, inside: list[Address], outside: list[Address]) -> Path:
    rows = ["lokalid;email;language;channels"]
    for n, address in enumerate([*inside, *outside]):
        where = "inne" if n < len(inside) else "ute"
        rows.append(f"{address.source_id};{where}{n}@example.no;nb;email")
    path = tmp / "abonnenter.csv"
    path.write_text("\ufeff" + "\r\n".join(rows) + "\r\n", encoding="utf-8")
    return path


def _body(received) -> str:  # type: ignore[no-untyped-def]
    part = received.message.get_body(preferencelist=("plain",))
    return str(part.get_content())


def test_one_email_per_subscriber_inside_named_linked_and_unsubscribable(
    database: str, tmp_path: Path
) -> None:
    env = {**os.environ, "STATUSMAP_DATABASE_URL": database, "STATUSMAP_SECRET_KEY": "e2e-test"}
    demo, base = _serve_demo(env)
    try:
        with smtp_server() as smtp:
            worker_env = {
                **env,
                "STATUSMAP_PUBLIC_BASE_URL": base,
                "STATUSMAP_EMAIL_PROVIDER": "smtp",
                "STATUSMAP_SMTP_HOST": "127.0.0.1",
                "STATUSMAP_SMTP_PORT": str(smtp.port),
                "STATUSMAP_SMTP_SECURITY": "none",
                "STATUSMAP_MAIL_FROM": "Vann og avløp <varsel@demo.kommune.no>",
            }
            # The demo's own incidents are announced first, to nobody yet.
            _run(worker_env, "worker", "--until-idle")
            inside, outside, department = _chosen_addresses(database)
            csv = _subscriber_file(tmp_path, inside, outside)
            _run(env, "subscribers", "import", str(csv), "--municipality", "demo")
            area = tmp_path / "area.geojson"
            area.write_text(json.dumps(AREA.__geo_interface__), encoding="utf-8")
            created = _run(
                env, "incident", "create", "--municipality", "demo", "--kind", "boil_water",
                "--area", str(area), "--title-nb", TITLE,
            )  # fmt: skip
            incident_id = int(re.findall(r"\d+", created.stdout)[0])
            _run(worker_env, "worker", "--until-idle")
            received = list(smtp.received)
        recipients = sorted(r for message in received for r in message.recipients)
        assert recipients == sorted(f"inne{n}@example.no" for n in range(5)), recipients
        for message in received:
            body = _body(message)
            assert TITLE in str(message.message["Subject"]) + body
            assert department in body
            assert f"{base}/h/{incident_id}" in body
            page = urllib.request.urlopen(f"{base}/h/{incident_id}", timeout=30)
            assert page.url.endswith(f"/demo/hendelse/{incident_id}") and page.status == 200
            assert TITLE in page.read().decode("utf-8")
        _unsubscribe_one(received[0], base, database)
    finally:
        demo.terminate()
        demo.wait(timeout=20)
        demo.stdout.close()  # type: ignore[union-attr]


def _unsubscribe_one(received, base: str, database: str) -> None:  # type: ignore[no-untyped-def]
    """The e-mail's own unsubscribe link (in its text and its List-Unsubscribe header) shows the
    page, and the mail client's one-click POST ends the subscription on the running demo."""
    link = re.search(rf"{re.escape(base)}/demo/varsel/av/[A-Za-z0-9_-]+", _body(received))
    assert link, _body(received)
    assert link.group(0) in str(received.message["List-Unsubscribe"])
    page = urllib.request.urlopen(link.group(0), timeout=30).read().decode("utf-8")
    assert "<form" in page and "button" in page
    data = urllib.parse.urlencode({"List-Unsubscribe": "One-Click"}).encode()
    answer = urllib.request.urlopen(urllib.request.Request(link.group(0), data=data), timeout=30)
    assert answer.status == 200
    engine = make_engine(database)
    with Session(engine) as session:
        emails = set(session.scalars(select(Subscriber.email)))
    engine.dispose()
    assert received.recipients[0] not in emails and len(emails) == 9
