"""Ending a subscription in one step, from the page or a mail client's one-click POST (RFC 8058),
leaves no personal data; another municipality's links and addresses are refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from shapely.geometry import Point
from sqlalchemy import func
from sqlalchemy import select

from statusmap.models import Address
from statusmap.models import Subscriber
from statusmap.models import SubscriberSignup
from statusmap.models.notification import MessageStatus
from statusmap.models.notification import OutboxMessage
from statusmap.notify.links import short_unsubscribe_path
from statusmap.notify.links import unsubscribe_path
from tests.conftest import rolled_back_app
from tests.factories import make_municipality
from tests.html_tree import parse
from tests.integration.subscription_helpers import ROOMY
from tests.integration.subscription_helpers import db_session
from tests.integration.subscription_helpers import demo_address
from tests.integration.subscription_helpers import sign_up
from tests.integration.subscription_helpers import subscribe_confirmed
from tests.staff_helpers import csrf_token


@pytest.fixture
def roomy(database_url: str) -> Iterator[Flask]:
    with rolled_back_app(database_url, **ROOMY) as app:
        yield app


def _subscribed(app: Flask) -> tuple[str, int]:
    """A confirmed subscriber (SMS and e-mail) with a queued message; (token, their id)."""
    address_id, _ = demo_address(app, "Bakkevegen", 1)
    subscribe_confirmed(
        app.test_client(),
        app,
        [address_id],
        phone="91122334",
        email="ola@example.no",
        channels=("sms", "email_channel"),
    )
    with db_session(app) as session:
        subscriber = session.scalars(select(Subscriber)).one()
        for message in session.scalars(select(OutboxMessage)):
            message.subscriber_id = subscriber.id  # as the worker's expansion would have
        session.commit()
        return subscriber.token, subscriber.id


def _traces(app: Flask) -> dict[str, int]:
    """What is left anywhere of the person's phone and e-mail."""
    with db_session(app) as session:
        contacts = ("+4791122334", "ola@example.no")
        return {
            "subscribers": session.scalar(select(func.count(Subscriber.id))) or 0,
            "signups": session.scalar(select(func.count(SubscriberSignup.id))) or 0,
            "messages": session.scalar(
                select(func.count(OutboxMessage.id)).where(OutboxMessage.recipient.in_(contacts))
            )
            or 0,
            "queued": session.scalar(
                select(func.count(OutboxMessage.id)).where(
                    OutboxMessage.status == MessageStatus.QUEUED
                )
            )
            or 0,
        }


def test_the_page_says_what_ends_and_one_button_ends_it(roomy: Flask) -> None:
    token, _ = _subscribed(roomy)
    client = roomy.test_client()
    path = unsubscribe_path("demo", token)
    page = client.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Bakkevegen 1" in html and "+47 9••• ••34" in html and "o•••@example.no" in html
    buttons = parse(html).find_all("button")
    assert [b.text().strip() for b in buttons] == ["Meld meg av"]
    ended = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert ended.status_code == 200 and "Du er meldt av" in ended.get_data(as_text=True)
    assert _traces(roomy) == {"subscribers": 0, "signups": 0, "messages": 0, "queued": 0}
    again = client.get(path)
    assert again.status_code == 404 and "allerede er meldt av" in again.get_data(as_text=True)


def test_a_mail_clients_one_click_post_ends_it_without_a_csrf_token(roomy: Flask) -> None:
    token, _ = _subscribed(roomy)
    answer = roomy.test_client().post(
        unsubscribe_path("demo", token), data={"List-Unsubscribe": "One-Click"}
    )
    assert answer.status_code == 200
    assert _traces(roomy)["subscribers"] == 0 and _traces(roomy)["messages"] == 0
    with db_session(roomy) as session:  # the delivery statistics keep their rows, unnamed
        statuses = set(session.scalars(select(OutboxMessage.status)))
        assert statuses == {MessageStatus.CANCELLED}


def test_any_other_post_needs_the_forms_token(roomy: Flask) -> None:
    token, _ = _subscribed(roomy)
    client = roomy.test_client()
    for data in ({}, {"csrf_token": "forged"}, {"List-Unsubscribe": "yes"}):
        assert client.post(unsubscribe_path("demo", token), data=data).status_code == 400
    assert _traces(roomy)["subscribers"] == 1


def test_another_municipalitys_links_and_addresses_are_refused(roomy: Flask) -> None:
    token, _ = _subscribed(roomy)
    with db_session(roomy) as session:
        other = make_municipality(session, slug="annen", kommunenummer="4215")
        foreign = Address(
            municipality_id=other.id,
            source_id="x1",
            street="Fremmedveien",
            number=1,
            location=Point(8.065, 58.135),
        )
        session.add(foreign)
        session.commit()
        foreign_id = foreign.id
    client = roomy.test_client()
    assert client.get(unsubscribe_path("annen", token)).status_code == 404
    one_click = {"List-Unsubscribe": "One-Click"}
    assert client.post(unsubscribe_path("annen", token), data=one_click).status_code == 404
    assert _traces(roomy)["subscribers"] == 1
    refused = sign_up(client, [foreign_id], phone="41239999", sms="y")
    assert refused.status_code == 422 and "Fremmedveien" not in refused.get_data(as_text=True)
    # A sign-up's confirmation page only under its own municipality.
    address_id, _ = demo_address(roomy, "Bakkevegen", 2)
    started = sign_up(client, [address_id], phone="41239998", sms="y")
    path = started.headers["Location"]
    assert client.get(path.replace("/demo/", "/annen/")).status_code == 404


def test_the_manage_link_changes_addresses_channels_and_language(roomy: Flask) -> None:
    token, subscriber_id = _subscribed(roomy)
    client = roomy.test_client()
    path = f"/demo/varsel/endre/{token}"
    page = client.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    first_id, _ = demo_address(roomy, "Bakkevegen", 1)
    second_id, label = demo_address(roomy, "Bakkevegen", 2)
    form = {"csrf_token": csrf_token(client, path), "address_id": [str(first_id)]}
    found = client.post(path, data={**form, "action": "find", "adresse": label})
    assert parse(found.get_data(as_text=True)).find("input", id=f"address-{second_id}")
    saved = client.post(
        path,
        data={
            **form,
            "action": "save",
            "address_id": [str(second_id)],
            "email_channel": "y",
            "language": "en",
        },
    )
    assert saved.status_code == 303
    with db_session(roomy) as session:
        subscriber = session.get(Subscriber, subscriber_id)
        assert subscriber is not None
        assert [s.address_id for s in subscriber.subscriptions] == [second_id]
        assert subscriber.channels == ("email",) and subscriber.language == "en"
    nothing = client.post(path, data={**form, "action": "save", "address_id": [], "sms": "y"})
    assert nothing.status_code == 422 and "minst én adresse" in nothing.get_data(as_text=True)
    assert client.get(f"/annen/varsel/endre/{token}").status_code == 404


def test_the_short_link_in_sms_leads_to_the_same_page(roomy: Flask) -> None:
    """/av/<token> (SMS, where every sign counts) redirects to the subscriber's unsubscribe
    page; an unknown token is 404 and says nothing more."""
    token, _ = _subscribed(roomy)
    client = roomy.test_client()
    answer = client.get(short_unsubscribe_path(token))
    assert answer.status_code == 302 and answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Location"].endswith(unsubscribe_path("demo", token))
    assert client.get(answer.headers["Location"]).status_code == 200
    assert client.get(short_unsubscribe_path("x" * 32)).status_code == 404
