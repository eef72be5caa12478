"""Signing up through the real pages, as a resident would: the form, the code from the SMS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from statusmap.db import get_db
from statusmap.models import Address
from statusmap.models.notification import OutboxMessage
from statusmap.models.notification import Variant
from tests.staff_helpers import csrf_token

PAGE = "/demo/varsel"
ROOMY = {"SUBSCRIBE_LIMIT_PER_CLIENT": "1000/minute", "CONFIRM_LIMIT_PER_CLIENT": "1000/minute"}


@contextmanager
def db_session(app: Flask) -> Iterator[Session]:
    """The app's session in an app context (what it writes is committed by the caller)."""
    with app.app_context():
        yield get_db(app).session()


def demo_address(app: Flask, street: str, number: int) -> tuple[int, str]:
    """(id, label) of a demo address, as the address search labels it."""
    from statusmap.addresses.search import address_label

    with db_session(app) as session:
        address = session.scalar(
            select(Address).where(Address.street == street, Address.number == number)
        )
        assert address is not None
        return address.id, address_label(address)


def sign_up(client: FlaskClient, address_ids: list[int], **fields: str) -> TestResponse:
    """Post the sign-up form with these addresses ticked (consent given unless overridden)."""
    data: dict[str, object] = {
        "csrf_token": csrf_token(client, PAGE),
        "action": "subscribe",
        "language": "nb",
        "consent": "y",
        **fields,
        "address_id": [str(i) for i in address_ids],
    }
    return client.post(PAGE, data=data)


def last_codes(app: Flask, recipient: str) -> list[OutboxMessage]:
    """The confirmation messages queued for a recipient, newest first."""
    with db_session(app) as session:
        messages = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == recipient, OutboxMessage.variant == Variant.CONFIRM)
            .order_by(OutboxMessage.id.desc())
        ).all()
        session.expunge_all()
        return list(messages)


def code_in(message: OutboxMessage) -> str:
    """The 6-digit code a message carries."""
    found = re.search(r"\b(\d{6})\b", message.body or "")
    assert found, message.body
    return found.group(1)


def confirm(client: FlaskClient, confirm_path: str, code: str) -> TestResponse:
    """Type the code into the confirmation page."""
    return client.post(
        confirm_path, data={"csrf_token": csrf_token(client, confirm_path), "kode": code}
    )


def subscribe_confirmed(
    client: FlaskClient,
    app: Flask,
    address_ids: list[int],
    phone: str = "",
    email: str = "",
    channels: tuple[str, ...] = ("sms",),
) -> str:
    """Sign up and confirm with the code sent; the path of the confirmation page."""
    fields = dict.fromkeys(channels, "y")
    answer = sign_up(client, address_ids, phone=phone, email=email, **fields)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:2000]
    recipient = ("+47" + phone.replace(" ", "")) if phone else email
    code = code_in(last_codes(app, recipient)[0])
    done = confirm(client, answer.headers["Location"], code)
    assert done.status_code == 303, done.get_data(as_text=True)[:2000]
    return str(done.headers["Location"])
