"""Signing up for warnings through the real app: the form (without JavaScript), the code by SMS
and e-mail (double opt-in), what the confirmation says, wrong and expired codes, the attempt
limit, a second sign-up with a known number, and refusals shown beside their fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from statusmap.models import Subscriber
from statusmap.models import SubscriberSignup
from statusmap.models.base import utcnow
from statusmap.models.notification import MessageStatus
from statusmap.models.notification import OutboxMessage
from statusmap.notify import subscriber_merge
from tests.conftest import rolled_back_app
from tests.html_tree import parse
from tests.integration.subscription_helpers import PAGE
from tests.integration.subscription_helpers import ROOMY
from tests.integration.subscription_helpers import code_in
from tests.integration.subscription_helpers import confirm
from tests.integration.subscription_helpers import db_session
from tests.integration.subscription_helpers import demo_address
from tests.integration.subscription_helpers import last_codes
from tests.integration.subscription_helpers import sign_up
from tests.integration.subscription_helpers import subscribe_confirmed
from tests.staff_helpers import csrf_token


@pytest.fixture
def roomy(database_url: str) -> Iterator[Flask]:
    with rolled_back_app(database_url, **ROOMY) as app:
        yield app


def _subscribers(app: Flask) -> list[Subscriber]:
    with db_session(app) as session:
        found = list(session.scalars(select(Subscriber).order_by(Subscriber.id)))
        for subscriber in found:
            _ = subscriber.subscriptions
        session.expunge_all()
        return found


def test_the_page_finds_an_address_without_javascript_and_ticks_it(roomy: Flask) -> None:
    client = roomy.test_client()
    page = client.get(PAGE)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    address_id, label = demo_address(roomy, "Bakkevegen", 1)
    token = csrf_token(client, PAGE)
    found = client.post(PAGE, data={"csrf_token": token, "action": "find", "adresse": label})
    assert found.status_code == 200
    box = parse(found.get_data(as_text=True)).find("input", id=f"address-{address_id}")
    assert box.attrs.get("checked") is not None and box.attrs["name"] == "address_id"
    many = client.post(
        PAGE, data={"csrf_token": token, "action": "find", "adresse": "Bakkevegen 1"}
    )
    assert label in many.get_data(as_text=True)


def _kari_signs_up(roomy: Flask, client: FlaskClient) -> tuple[str, int, str]:
    """Kari signs up (phone and e-mail, nynorsk); (confirmation path, address id, its label)."""
    address_id, label = demo_address(roomy, "Bakkevegen", 2)
    fields = {"phone": "912 34 567", "email": "Kari@Example.no", "language": "nn"}
    answer = sign_up(client, [address_id], sms="y", email_channel="y", **fields)
    assert answer.status_code == 303
    return answer.headers["Location"], address_id, label


def test_sign_up_sends_a_code_by_sms_and_e_mail_and_subscribes_nothing_yet(roomy: Flask) -> None:
    client = roomy.test_client()
    confirm_path, _, _ = _kari_signs_up(roomy, client)
    assert confirm_path.startswith("/demo/varsel/bekreft/")
    assert _subscribers(roomy) == []  # nothing subscribed before the code comes back
    (sms,) = last_codes(roomy, "+4791234567")
    (mail,) = last_codes(roomy, "kari@example.no")
    assert sms.channel == "sms" and mail.channel == "email"
    for message in (sms, mail):
        assert (message.event_id, message.priority, message.language) == (None, 0, "nn")
        assert message.status is MessageStatus.QUEUED
    code = code_in(sms)
    assert code_in(mail) == code and f"{confirm_path}?kode={code}" in (mail.body or "")
    assert "Vatn og avløp, Demo kommune" in (sms.body or "")  # the department, in nynorsk
    with db_session(roomy) as session:
        assert code not in (session.scalar(select(SubscriberSignup.code_hash)) or code)
    # The e-mail's link fills the code in; confirming is a button, not the GET itself.
    linked = parse(client.get(f"{confirm_path}?kode={code}").get_data(as_text=True))
    assert linked.find("input", name="kode").attrs["value"] == code
    assert _subscribers(roomy) == []


def test_the_code_confirms_and_the_page_says_what_they_will_get(roomy: Flask) -> None:
    client = roomy.test_client()
    confirm_path, address_id, label = _kari_signs_up(roomy, client)
    done = confirm(client, confirm_path, code_in(last_codes(roomy, "+4791234567")[0]))
    assert done.status_code == 303
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert label in page and "+47 9••• ••67" in page and "k•••@example.no" in page
    assert "91234567" not in page
    (subscriber,) = _subscribers(roomy)
    assert (subscriber.phone, subscriber.email) == ("+4791234567", "kari@example.no")
    assert (subscriber.channels, subscriber.language) == (("sms", "email"), "nn")
    assert subscriber.confirmed_at is not None and subscriber.source == "web"
    assert [s.address_id for s in subscriber.subscriptions] == [address_id]
    assert client.get(confirm_path).status_code == 404  # the code is used up


def test_a_wrong_code_is_refused_and_five_guesses_end_the_sign_up(roomy: Flask) -> None:
    client = roomy.test_client()
    address_id, _ = demo_address(roomy, "Bakkevegen", 1)
    answer = sign_up(client, [address_id], phone="41234567", sms="y")
    path = answer.headers["Location"]
    code = code_in(last_codes(roomy, "+4741234567")[0])
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    first = confirm(client, path, wrong)
    assert first.status_code == 422 and "Koden stemmer ikke" in first.get_data(as_text=True)
    for _ in range(4):
        confirm(client, path, wrong)
    late = confirm(client, path, code)
    assert late.status_code == 422 and "for mange ganger" in late.get_data(as_text=True)
    assert _subscribers(roomy) == []


def test_an_expired_code_is_refused(roomy: Flask) -> None:
    client = roomy.test_client()
    address_id, _ = demo_address(roomy, "Bakkevegen", 1)
    path = sign_up(client, [address_id], phone="41234568", sms="y").headers["Location"]
    code = code_in(last_codes(roomy, "+4741234568")[0])
    with db_session(roomy) as session:
        session.execute(update(SubscriberSignup).values(expires_at=utcnow() - timedelta(minutes=1)))
        session.commit()
    answer = confirm(client, path, code)
    assert answer.status_code == 422 and "utløpt" in answer.get_data(as_text=True)
    assert _subscribers(roomy) == []


def test_a_second_sign_up_with_a_known_number_adds_its_address_only_when_confirmed(
    roomy: Flask,
) -> None:
    first_id, _ = demo_address(roomy, "Bakkevegen", 1)
    second_id, _ = demo_address(roomy, "Bakkevegen", 2)
    subscribe_confirmed(roomy.test_client(), roomy, [first_id], phone="99887766")
    stranger = roomy.test_client()
    again = sign_up(stranger, [second_id], phone="+47 998 87 766", sms="y")
    fresh = sign_up(stranger, [second_id], phone="99887700", sms="y")
    # Answered alike: nobody learns whether a number is subscribed.
    assert again.status_code == fresh.status_code == 303
    assert [len(s.subscriptions) for s in _subscribers(roomy)] == [1]
    code = code_in(last_codes(roomy, "+4799887766")[0])
    assert confirm(stranger, again.headers["Location"], code).status_code == 303
    (subscriber,) = _subscribers(roomy)
    assert sorted(s.address_id for s in subscriber.subscriptions) == sorted([first_id, second_id])


@pytest.mark.parametrize(
    ("fields", "field_id", "text"),
    [
        ({"phone": "12", "sms": "y"}, "phone", "gyldig telefonnummer"),
        ({"email": "kari@", "email_channel": "y"}, "email", "gyldig e-postadresse"),
        ({"email": "kari@example.no", "voice": "y"}, "channels", "krever et telefonnummer"),
        ({"phone": "41234567", "sms": "y", "consent": ""}, "consent", "Kryss av"),
        ({"phone": "41234567"}, "channels", "minst én måte"),
    ],
)
def test_refusals_are_shown_beside_their_field(
    roomy: Flask, fields: dict[str, str], field_id: str, text: str
) -> None:
    client = roomy.test_client()
    address_id, label = demo_address(roomy, "Bakkevegen", 1)
    answer = sign_up(client, [address_id], **fields)
    assert answer.status_code == 422
    page = parse(answer.get_data(as_text=True))
    summary = page.find("div", **{"class": "error-summary"})
    assert text in summary.text()
    assert text in answer.get_data(as_text=True)
    assert label in answer.get_data(as_text=True)  # the ticked address is kept
    with db_session(roomy) as session:
        assert session.scalar(select(func.count(SubscriberSignup.id))) == 0


def test_a_sign_up_without_a_csrf_token_is_refused(roomy: Flask) -> None:
    client = roomy.test_client()
    address_id, _ = demo_address(roomy, "Bakkevegen", 1)
    answer = client.post(
        PAGE,
        data={
            "action": "subscribe",
            "phone": "41234567",
            "sms": "y",
            "consent": "y",
            "address_id": str(address_id),
        },
    )
    assert answer.status_code == 400
    assert last_codes(roomy, "+4741234567") == []


def test_sign_ups_and_code_guesses_are_rate_limited(database_url: str) -> None:
    limits = {"SUBSCRIBE_LIMIT_PER_CLIENT": "2/minute", "CONFIRM_LIMIT_PER_CLIENT": "3/minute"}
    with rolled_back_app(database_url, **limits) as app:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "10.20.30.40"
        address_id, label = demo_address(app, "Bakkevegen", 1)
        token = csrf_token(client, PAGE)
        for _ in range(3):  # finding addresses is not limited
            look = {"csrf_token": token, "action": "find", "adresse": label}
            assert client.post(PAGE, data=look).status_code == 200
        answers = [sign_up(client, [address_id], phone="41234569", sms="y") for _ in range(3)]
        assert [a.status_code for a in answers] == [303, 303, 429]
        path = answers[0].headers["Location"]
        guesses = [confirm(client, path, "000000").status_code for _ in range(4)]
        assert guesses == [422, 422, 422, 429]


def test_the_status_page_and_the_affected_answer_lead_to_the_sign_up(roomy: Flask) -> None:
    client = roomy.test_client()
    home = parse(client.get("/demo/").get_data(as_text=True))
    assert PAGE in [a.attrs.get("href") for a in home.find_all("a")]
    address_id, label = demo_address(roomy, "Bakkevegen", 1)
    answer = parse(
        client.get("/demo/berort", query_string={"adresse": label}).get_data(as_text=True)
    )
    link = next(
        a.attrs["href"] for a in answer.find_all("a") if a.attrs.get("href", "").startswith(PAGE)
    )
    page = parse(client.get(link).get_data(as_text=True))
    assert page.find("input", id=f"address-{address_id}").attrs.get("checked") is not None


def test_old_sign_ups_and_sent_codes_are_forgotten(roomy: Flask) -> None:
    client = roomy.test_client()
    address_id, _ = demo_address(roomy, "Bakkevegen", 1)
    sign_up(client, [address_id], phone="41230001", sms="y")
    with db_session(roomy) as session:
        long_ago = utcnow() - timedelta(hours=3)
        session.execute(update(SubscriberSignup).values(created_at=long_ago, expires_at=long_ago))
        session.execute(
            update(OutboxMessage).values(created_at=long_ago, status=MessageStatus.SENT)
        )
        session.commit()
    sign_up(client, [address_id], phone="41230002", sms="y")  # any sign-up tidies up
    assert last_codes(roomy, "+4741230001") == []
    with db_session(roomy) as session:
        assert session.scalar(select(func.count(SubscriberSignup.id))) == 1
        bodies = session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id)).all()
        assert bodies[0] == "" and "41230001" not in str(bodies)


def test_who_chose_calls_only_hears_the_code_read_out(roomy: Flask) -> None:
    address_id, _ = demo_address(roomy, "Bakkevegen", 1)
    answer = sign_up(roomy.test_client(), [address_id], phone="22225555", voice="y")
    assert answer.status_code == 303
    (call,) = last_codes(roomy, "+4722225555")  # a landline: no SMS
    digits = re.search(r"er ((\d, ){5}\d)\.", call.body or "")
    assert call.channel == "voice" and digits, call.body


def test_two_sign_ups_of_one_number_confirmed_at_once_make_one_subscriber(
    roomy: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second confirmation does not see the first one's subscriber yet (as when both are
    confirmed at the same moment); the unique index refuses a second subscriber with the number,
    and the sign-up joins the first one's instead of failing."""
    first_address, _ = demo_address(roomy, "Bakkevegen", 1)
    second_address, _ = demo_address(roomy, "Bakkevegen", 3)
    subscribe_confirmed(roomy.test_client(), roomy, [first_address], phone="91122334")
    client = roomy.test_client()
    answer = sign_up(client, [second_address], phone="91122334", sms="y")
    code = code_in(last_codes(roomy, "+4791122334")[0])
    real = subscriber_merge.find_subscriber
    misses = iter([True])
    monkeypatch.setattr(
        subscriber_merge,
        "find_subscriber",
        lambda *a, **k: None if next(misses, False) else real(*a, **k),
    )
    done = confirm(client, answer.headers["Location"], code)
    assert done.status_code == 303, done.get_data(as_text=True)[:2000]
    with db_session(roomy) as session:
        (subscriber,) = session.scalars(select(Subscriber)).all()
        addresses = {s.address_id for s in subscriber.subscriptions}
    assert addresses == {first_address, second_address}
