"""Delivery receipts at /api/v1/receipts/<provider>: only with the secret, in each provider's
shape, moving sent messages to delivered or failed, idempotent, never back from delivered."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.db import get_db
from statusmap.models import Municipality
from statusmap.models.notification import MessageStatus
from statusmap.models.notification import OutboxMessage
from statusmap.models.notification import Variant
from tests.conftest import rolled_back_app

TOKEN = "receipt-secret-0123456789abcdef"


@pytest.fixture
def receiving(database_url: str) -> Iterator[tuple[Flask, Session, FlaskClient]]:
    with rolled_back_app(database_url, RECEIPT_TOKEN=TOKEN) as app, app.app_context():
        yield app, get_db(app).session(), app.test_client()


def message(
    session: Session,
    *,
    channel: str = "sms",
    status: MessageStatus = MessageStatus.SENT,
    provider_ref: str | None = None,
) -> OutboxMessage:
    municipality = session.scalars(select(Municipality).limit(1)).one()
    key = str(uuid.uuid4())
    row = OutboxMessage(
        municipality_id=municipality.id,
        channel=channel,
        recipient="+4791234567" if channel != "email" else "kari@example.no",
        variant=Variant.NEW,
        status=status,
        idempotency_key=key,
        provider_ref=provider_ref or key,
    )
    session.add(row)
    session.commit()
    return row


def post(client: FlaskClient, provider: str, body: Any, token: str | None = TOKEN) -> Any:
    path = f"/api/v1/receipts/{provider}" + (f"/{token}" if token is not None else "")
    return client.post(path, json=body)


def reloaded(session: Session, row: OutboxMessage) -> OutboxMessage:
    session.expire_all()
    fresh = session.get(OutboxMessage, row.id)
    assert fresh is not None
    return fresh


def t365(row: OutboxMessage, status: str, detail: str) -> dict[str, Any]:
    return {
        "correlationId": None,
        "transactionId": row.idempotency_key,
        "sender": "Kristiansd",
        "recipient": "+4791234567",
        "statusCode": status,
        "detailedStatusCode": detail,
        "delivered": status == "Ok",
    }


def test_a_target365_receipt_marks_the_message_delivered_once(receiving) -> None:  # type: ignore[no-untyped-def]
    _app, session, client = receiving
    row = message(session)
    answer = post(client, "target365", t365(row, "Ok", "Delivered"))
    assert answer.status_code == 200
    assert answer.get_json() == {
        "received": 1,
        "delivered": 1,
        "failed": 0,
        "unchanged": 0,
        "unknown": 0,
    }
    delivered = reloaded(session, row)
    assert delivered.status == MessageStatus.DELIVERED and delivered.delivered_at is not None
    first_at = delivered.delivered_at
    assert post(client, "target365", t365(row, "Ok", "Delivered")).get_json()["unchanged"] == 1
    late_failure = post(client, "target365", t365(row, "Failed", "Expired"))
    assert late_failure.get_json()["unchanged"] == 1
    after = reloaded(session, row)
    assert (after.status, after.delivered_at, after.last_error) == (
        MessageStatus.DELIVERED,
        first_at,
        "",
    )


def test_a_failure_keeps_the_providers_code_and_interim_reports_change_nothing(receiving) -> None:  # type: ignore[no-untyped-def]
    _app, session, client = receiving
    row = message(session)
    assert post(client, "target365", t365(row, "Sent", "None")).get_json()["unchanged"] == 1
    assert reloaded(session, row).status == MessageStatus.SENT
    assert post(client, "target365", t365(row, "Failed", "UnknownSubscriber")).status_code == 200
    failed = reloaded(session, row)
    assert failed.status == MessageStatus.FAILED
    assert failed.last_error == "target365 receipt: UnknownSubscriber"


def test_link_mobility_reports_by_message_id_or_ref_id(receiving) -> None:  # type: ignore[no-untyped-def]
    _app, session, client = receiving
    by_id = message(session, provider_ref="link-abc123")
    by_ref = message(session, provider_ref="something-else")
    failing = message(session, provider_ref="link-def456")
    base = {"timestamp": "2026-12-02T10:00:00Z", "operator": "no.telenor"}
    post(client, "link_mobility", {**base, "id": "link-abc123", "refId": "x", "resultCode": 1001})
    post(client, "link_mobility", {**base, "refId": by_ref.idempotency_key, "resultCode": 1001})
    post(client, "link_mobility", {**base, "id": "link-def456", "resultCode": 1000})  # on its way
    post(client, "link_mobility", {**base, "id": "link-def456", "resultCode": 1006})
    assert reloaded(session, by_id).status == MessageStatus.DELIVERED
    assert reloaded(session, by_ref).status == MessageStatus.DELIVERED
    assert reloaded(session, failing).last_error == "link_mobility receipt: 1006"


def test_generic_json_takes_a_list_and_voice_its_call_statuses(receiving) -> None:  # type: ignore[no-untyped-def]
    _app, session, client = receiving
    first, second = message(session), message(session)
    answer = post(
        client,
        "generic_json",
        [
            {"id": first.idempotency_key, "status": "delivered"},
            {"id": second.idempotency_key, "status": "failed", "error": "absent_subscriber"},
        ],
    )
    assert answer.get_json()["delivered"] == 1 and answer.get_json()["failed"] == 1
    assert reloaded(session, second).last_error == "generic_json receipt: absent_subscriber"
    answered, busy = message(session, channel="voice"), message(session, channel="voice")
    post(client, "voice", {"id": answered.provider_ref, "status": "completed"})
    post(client, "voice", {"id": busy.provider_ref, "status": "busy"})
    assert reloaded(session, answered).status == MessageStatus.DELIVERED
    assert reloaded(session, busy).status == MessageStatus.FAILED


def test_a_receipt_proving_delivery_settles_an_uncertain_or_waiting_message(receiving) -> None:  # type: ignore[no-untyped-def]
    _app, session, client = receiving
    uncertain = message(session, status=MessageStatus.UNCERTAIN)
    waiting = message(session, status=MessageStatus.QUEUED)  # timed out, queued to repeat
    for row in (uncertain, waiting):
        post(client, "target365", t365(row, "Ok", "Delivered"))
        assert reloaded(session, row).status == MessageStatus.DELIVERED
    queued = message(session, status=MessageStatus.QUEUED)
    post(client, "target365", t365(queued, "Failed", "Expired"))
    assert reloaded(session, queued).status == MessageStatus.QUEUED  # its repeat decides


def test_unknown_references_and_other_channels_are_left_alone(receiving) -> None:  # type: ignore[no-untyped-def]
    _app, session, client = receiving
    mail = message(session, channel="email", provider_ref="shared-ref")
    answer = post(
        client,
        "generic_json",
        [{"id": "shared-ref", "status": "delivered"}, {"id": "nobody", "status": "delivered"}],
    )
    assert answer.status_code == 200 and answer.get_json()["unknown"] == 2
    assert reloaded(session, mail).status == MessageStatus.SENT


@pytest.mark.parametrize(
    "body", [None, "tekst", [], [1], {"statusCode": "Ok"}, {"transactionId": "x"}]
)
def test_a_body_not_in_the_shape_is_400(receiving, body: Any) -> None:  # type: ignore[no-untyped-def]
    _app, _session, client = receiving
    answer = post(client, "target365", body)
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "receipt_invalid"


def test_only_the_secret_opens_the_door(receiving, database_url: str) -> None:  # type: ignore[no-untyped-def]
    _app, session, client = receiving
    row = message(session)
    body = t365(row, "Ok", "Delivered")
    assert post(client, "target365", body, token=None).status_code == 404
    assert (
        post(client, "target365", body, token="receipt-secret-0123456789abcdeX").status_code == 404
    )
    assert post(client, "sveve", body).status_code == 404  # not a provider we take receipts from
    assert reloaded(session, row).status == MessageStatus.SENT
    in_header = client.post(
        "/api/v1/receipts/target365", json=body, headers={"X-Statusmap-Receipt-Token": TOKEN}
    )
    assert in_header.status_code == 200
    assert reloaded(session, row).status == MessageStatus.DELIVERED
    bearer = client.post(
        "/api/v1/receipts/target365", json=body, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert bearer.status_code == 200


def test_without_a_configured_secret_receipts_are_refused(database_url: str) -> None:
    with rolled_back_app(database_url) as app:
        client = app.test_client()
        assert client.post("/api/v1/receipts/target365/", json={}).status_code == 404
        answer = client.post(
            "/api/v1/receipts/target365", json={}, headers={"X-Statusmap-Receipt-Token": ""}
        )
        assert answer.status_code == 404
