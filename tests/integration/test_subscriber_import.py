"""`statusmap subscribers import/export/delete` on the demo municipality's addresses: a realistic
list (Norwegian Excel: BOM and `;`) is imported whole and merged per person; one bad row means
nothing is imported and every bad row is named by line and reason; a person's data is exported
and erased on request, and the audit log never holds their number or e-mail in clear."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.addresses.search import address_label
from statusmap.models import AuditEvent
from statusmap.models import Subscriber
from statusmap.models.address import VulnerableCategory
from statusmap.notify.subscriber_records import subscribed_addresses

GOOD = (
    "lokalid;address;phone;email;language;channels;vulnerable;note\n"
    ";Møllegata 5;912 34 567;;nb;sms;;\n"
    ";Møllegata 7, 2750;;Kari@Example.no;nn;email;;\n"
    '990002083;;+46 70 123 45 67;;en;"sms,voice";;\n'
    ";Bekkevegen 40B;912 34 567;;nb;sms;kindergarten;Gran barnehage, 40 barn\n"
)
BAD = (
    "lokalid,address,phone,email,language,channels,vulnerable\n"
    ",Møllegata 5,91234567,,nb,sms,\n"  # line 2: fine
    ",Storgata 999,91234568,,nb,sms,\n"  # 3: unknown address
    ",Møllegata 7,12,,nb,sms,\n"  # 4: bad phone
    ",Møllegata 9,,,nb,,\n"  # 5: no contact
    ",Møllegata 9,91234569,,nb,fax,\n"  # 6: unknown channel
    ",Bekkevegen 40,91234570,,nb,sms,\n"  # 7: ambiguous (40A and 40B)
    ",Møllegata 9,91234571,,nb,sms,hospital\n"  # 8: unknown category
    "123,,91234572,,nb,sms,\n"  # 9: unknown lokalid
    ",Møllegata 9,,ola@example.no,de,email,\n"  # 10: unknown language
    ",Møllegata 9,,ola@example.no,nb,sms,\n"  # 11: sms without a phone
)


def _write(tmp_path: Path, text: str, bom: bool = True) -> Path:
    path = tmp_path / "abonnenter.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def _import(app: Flask, path: Path):  # type: ignore[no-untyped-def]
    args = ["subscribers", "import", str(path), "--municipality", "demo"]
    return app.test_cli_runner().invoke(args=args)


def _people(session: Session) -> list[Subscriber]:
    session.expire_all()
    return list(session.scalars(select(Subscriber).order_by(Subscriber.id)))


def _labels(session: Session, subscriber: Subscriber) -> list[str]:
    return sorted(address_label(a) for a in subscribed_addresses(session, subscriber))


def test_a_good_list_is_imported_confirmed_and_merged_per_person(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    result = _import(app, _write(tmp_path, GOOD))
    assert result.exit_code == 0, result.output + result.stderr
    assert "Imported 4 row(s): 3 subscriber(s) (3 new, 0 already known)" in result.output
    sven, ola, kari = sorted(_people(session), key=lambda s: s.email or s.phone or "")
    assert ola.phone == "+4791234567" and ola.channels == ("sms",)
    assert ola.vulnerable_category is VulnerableCategory.KINDERGARTEN
    assert ola.vulnerable_note == "Gran barnehage, 40 barn"
    assert kari.email == "kari@example.no" and kari.language == "nn" and kari.phone is None
    assert sven.phone == "+46701234567" and sven.channels == ("sms", "voice")
    assert sven.language == "en"
    for person in (kari, ola, sven):
        assert person.source == "import" and person.confirmed_at is not None
    assert len(ola.subscriptions) == 2 and len(sven.subscriptions) == 1
    again = _import(app, _write(tmp_path, GOOD, bom=False))
    assert again.exit_code == 0
    assert "3 subscriber(s) (0 new, 3 already known), 0 address(es) added" in again.output
    assert len(_people(session)) == 3


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    result = _import(app, _write(tmp_path, BAD, bom=False))
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("abonnenter.csv")]
    reasons = {int(line.split("line ")[1].split(":")[0]): line for line in lines}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "unknown address 'Storgata 999'" in reasons[3]
    assert "bad phone number '12'" in reasons[4]
    assert "no contact" in reasons[5]
    assert "unknown channel 'fax'" in reasons[6]
    assert "ambiguous address 'Bekkevegen 40' (2 matches)" in reasons[7]
    assert "unknown vulnerable category 'hospital'" in reasons[8]
    assert "unknown lokalid '123'" in reasons[9]
    assert "unknown language 'de'" in reasons[10]
    assert "channel sms needs a phone number" in reasons[11]
    assert "Nothing imported: 9 bad row(s)" in result.stderr
    assert _people(session) == []


def test_a_person_in_two_lists_is_one_subscriber(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    csv_text = "address;phone;email\nMøllegata 5;91234567;ola@example.no\n"
    assert _import(app, _write(tmp_path, csv_text)).exit_code == 0
    second = "address;email;channels\nMøllegata 7;ola@example.no;email\n"
    assert _import(app, _write(tmp_path, second)).exit_code == 0
    (ola,) = _people(session)
    assert ola.channels == ("sms", "email") and _labels(session, ola) == [
        "Møllegata 5, 2750 Gran",
        "Møllegata 7, 2750 Gran",
    ]


def test_a_person_is_exported_and_erased_on_request_and_the_audit_log_is_masked(
    app: Flask, session: Session, tmp_path: Path
) -> None:
    assert _import(app, _write(tmp_path, GOOD)).exit_code == 0
    runner = app.test_cli_runner()
    base = ["subscribers", "export", "--municipality", "demo"]
    exported = runner.invoke(args=[*base, "--phone", "912 34 567"])
    assert exported.exit_code == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert data["phone"] == "+4791234567" and data["vulnerable_category"] == "kindergarten"
    assert sorted(a["label"] for a in data["addresses"]) == [
        "Bekkevegen 40 B, 2750 Gran",
        "Møllegata 5, 2750 Gran",
    ]
    assert runner.invoke(args=[*base, "--email", "nobody@example.no"]).exit_code == 1
    delete = ["subscribers", "delete", "--municipality", "demo", "--phone", "+4791234567"]
    assert runner.invoke(args=[*delete, "--yes"]).exit_code == 0
    assert sorted(p.email or p.phone or "" for p in _people(session)) == [
        "+46701234567",
        "kari@example.no",
    ]
    rows = session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(["export_subscriber", "delete_subscriber"]))
    ).all()
    assert [r.action for r in rows] == ["export_subscriber", "delete_subscriber"]
    assert all(r.details["phone"] == "+47 9••• ••67" for r in rows)
    everything = json.dumps([r.details for r in session.scalars(select(AuditEvent))])
    assert "91234567" not in everything and "kari@example.no" not in everything
    assert session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action == "import_subscribers")
    )
