"""Accounts: hashed passwords, throttled logins, safe redirects, logging out everywhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from statusmap.auth.access import safe_next
from statusmap.auth.accounts import LoginRefused
from statusmap.auth.accounts import LoginThrottled
from statusmap.auth.accounts import Throttle
from statusmap.auth.accounts import authenticate
from statusmap.db import get_db
from statusmap.models import AuditEvent
from statusmap.models import Role
from statusmap.models import User
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality
from tests.staff_helpers import PASSWORD
from tests.staff_helpers import csrf_token
from tests.staff_helpers import log_in
from tests.staff_helpers import make_user


@pytest.fixture
def editor(app: Flask) -> str:
    with app.app_context():
        session = get_db(app).session()
        make_user(session, "Kari@Demo.test", Role.EDITOR, get_municipality(session, "demo"))
        session.commit()
    return "kari@demo.test"


def test_passwords_are_stored_as_argon2id_hashes(app: Flask, editor: str) -> None:
    with app.app_context():
        user = get_db(app).session().scalar(select(User).where(User.email == editor))
        assert user is not None
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_login_is_recorded_and_a_wrong_password_is_refused_without_saying_which(
    app: Flask, editor: str
) -> None:
    client = app.test_client()
    token = csrf_token(client)
    wrong = client.post(
        "/auth/login", data={"csrf_token": token, "email": editor, "password": "feil passord"}
    )
    unknown = client.post(
        "/auth/login", data={"csrf_token": token, "email": "nobody@x.test", "password": "x" * 12}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert "Feil e-postadresse eller passord" in wrong.get_data(as_text=True)
    log_in(client, "KARI@demo.test")  # addresses are not case-sensitive
    with app.app_context():
        actions = get_db(app).session().scalars(select(AuditEvent.action)).all()
    assert actions.count("login_failed") >= 2 and "login" in actions


def test_too_many_failures_throttle_the_address_even_with_the_right_password(
    app: Flask, editor: str
) -> None:
    with app.app_context():
        session = get_db(app).session()
        now = utcnow()
        limits = Throttle(per_email=3, per_ip=100, window=timedelta(minutes=15))
        for _ in range(3):
            with pytest.raises(LoginRefused):
                authenticate(
                    session, editor, "wrong-password", ip="10.0.0.1", now=now, limits=limits
                )
        with pytest.raises(LoginThrottled) as throttled:
            authenticate(session, editor, PASSWORD, ip="10.0.0.2", now=now, limits=limits)
        assert timedelta(minutes=14) < throttled.value.retry_after <= timedelta(minutes=15)
        later = now + timedelta(minutes=16)
        assert authenticate(session, editor, PASSWORD, ip="10.0.0.2", now=later, limits=limits)


def test_the_login_form_answers_429_when_throttled(app: Flask, editor: str) -> None:
    app.config["LOGIN_FAILURES_PER_IP"] = 2
    client = app.test_client()
    token = csrf_token(client)
    for email in ("a@x.test", "b@x.test"):
        client.post("/auth/login", data={"csrf_token": token, "email": email, "password": "nope"})
    answer = client.post(
        "/auth/login", data={"csrf_token": token, "email": editor, "password": PASSWORD}
    )
    assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 60


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/staff/demo/", "/staff/demo/"),
        ("/staff/demo/incidents/1?x=1", "/staff/demo/incidents/1?x=1"),
        ("https://evil.example/", "/staff/"),
        ("//evil.example/", "/staff/"),
        ("/\\evil.example", "/staff/"),
        ("javascript:alert(1)", "/staff/"),
        ("staff/demo", "/staff/"),
        ("/ok\r\nSet-Cookie: x", "/staff/"),
        ("", "/staff/"),
    ],
)
def test_next_goes_only_to_a_path_on_this_site(target: str, expected: str) -> None:
    assert safe_next(target, "/staff/") == expected


def test_login_follows_a_safe_next_and_ignores_another_host(app: Flask, editor: str) -> None:
    for target, expected in (("/staff/demo/", "/staff/demo/"), ("//evil.example/", "/staff/")):
        client = app.test_client()
        token = csrf_token(client, f"/auth/login?next={target}")
        answer = client.post(
            "/auth/login",
            data={"csrf_token": token, "email": editor, "password": PASSWORD, "next": target},
        )
        assert answer.status_code == 302 and answer.headers["Location"] == expected


def test_the_session_cookie_is_httponly_and_samesite(app: Flask, editor: str) -> None:
    client = app.test_client()
    token = csrf_token(client)
    answer = client.post(
        "/auth/login", data={"csrf_token": token, "email": editor, "password": PASSWORD}
    )
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert answer.headers["Cache-Control"] == "no-store"


def test_secure_cookies_in_production() -> None:
    import sys

    from statusmap import create_app

    sys.modules.setdefault("gunicorn", __import__("types").ModuleType("gunicorn"))
    try:
        app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "k" * 32})
    finally:
        del sys.modules["gunicorn"]
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_a_new_password_logs_out_every_other_session(app: Flask, editor: str) -> None:
    laptop, tablet = app.test_client(), app.test_client()
    log_in(laptop, editor)
    log_in(tablet, editor)
    assert tablet.get("/staff/demo/").status_code == 200
    token = csrf_token(laptop, "/auth/password")
    new = "et helt nytt passord 2026"
    answer = laptop.post(
        "/auth/password",
        data={"csrf_token": token, "current": PASSWORD, "new": new, "repeat": new},
    )
    assert answer.status_code == 302
    assert laptop.get("/staff/demo/").status_code == 200  # this browser carries on
    refused = tablet.get("/staff/demo/")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/auth/login")
    log_in(tablet, editor, new)


def test_a_wrong_current_password_changes_nothing(app: Flask, editor: str) -> None:
    client = app.test_client()
    log_in(client, editor)
    token = csrf_token(client, "/auth/password")
    new = "et helt nytt passord 2026"
    answer = client.post(
        "/auth/password", data={"csrf_token": token, "current": "gjett", "new": new, "repeat": new}
    )
    assert answer.status_code == 400
    log_in(app.test_client(), editor)  # the old password still works


def test_create_user_prints_a_generated_password_once(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "ola@demo.test", "--role", "admin", "--municipality", "demo"]
    )
    assert result.exit_code == 0, result.output
    password = result.output.split("change it after logging in): ")[1].split()[0]
    assert len(password) >= 20
    log_in(app.test_client(), "ola@demo.test", password)
    again = runner.invoke(
        args=["create-user", "ola@demo.test", "--role", "viewer", "--municipality", "demo"]
    )
    assert again.exit_code == 0 and "Password" not in again.output  # an existing account: role only
    missing = runner.invoke(
        args=["create-user", "x@demo.test", "--role", "admin", "--municipality", "nope"]
    )
    assert missing.exit_code != 0 and "No municipality" in missing.output
