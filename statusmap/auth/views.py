"""Log in, log out, change password."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session as cookie_session
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import logout_user
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.auth.access import log_in
from statusmap.auth.access import safe_next
from statusmap.auth.access import staff_user
from statusmap.auth.accounts import LoginRefused
from statusmap.auth.accounts import LoginThrottled
from statusmap.auth.accounts import Throttle
from statusmap.auth.accounts import actor_of
from statusmap.auth.accounts import authenticate
from statusmap.auth.accounts import set_password
from statusmap.auth.forms import LoginForm
from statusmap.auth.forms import PasswordForm
from statusmap.auth.passwords import PasswordError
from statusmap.auth.passwords import verify_password
from statusmap.models.base import utcnow

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | str:
    """The login form; a successful login goes back to where the user was going."""
    form = LoginForm(next=request.args.get("next", ""))
    target = safe_next(form.next.data, url_for("staff.index"))
    if current_user.is_authenticated:
        return redirect(target)
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 400 if form.errors else 200
    session = db.session()
    try:
        user = authenticate(
            session,
            form.email.data or "",
            form.password.data or "",
            ip=_ip(),
            now=utcnow(),
            limits=_throttle(),
        )
    except LoginThrottled as exc:
        session.commit()
        minutes = max(1, round(exc.retry_after.total_seconds() / 60))
        flash(_("For mange mislykkede forsøk. Prøv igjen om %(n)d minutter.", n=minutes), "error")
        page = render_template("auth/login.html", form=form)
        return Response(page, 429, {"Retry-After": str(int(exc.retry_after.total_seconds()) + 1)})
    except LoginRefused:
        session.commit()  # the failure counts towards the throttle
        flash(_("Feil e-postadresse eller passord."), "error")
        return render_template("auth/login.html", form=form), 401
    session.commit()
    cookie_session.clear()  # nothing from before the login carries over
    cookie_session.permanent = True
    log_in(user)
    return redirect(target)


def _throttle() -> Throttle:
    config = current_app.config
    return Throttle(
        per_email=int(config["LOGIN_FAILURES_PER_EMAIL"]),
        per_ip=int(config["LOGIN_FAILURES_PER_IP"]),
        window=timedelta(minutes=int(config["LOGIN_FAILURE_WINDOW_MIN"])),
    )


def _ip() -> str:
    return request.remote_addr or "unknown"


@bp.post("/logout")
def logout() -> Response:
    """End this browser's session."""
    logout_user()
    cookie_session.clear()
    flash(_("Du er logget ut."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
def change_password() -> Response | tuple[str, int] | str:
    """Change one's own password; every other session of the account is logged out."""
    user = staff_user()
    form = PasswordForm()
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current.data or ""):
            form.current.errors = [_("Passordet stemmer ikke.")]
        else:
            try:
                set_password(db.session(), user, form.new.data or "", actor=actor_of(user))
            except PasswordError as exc:
                form.new.errors = [str(exc)]
            else:
                db.session().commit()
                log_in(user)  # this browser carries on with the new token; the others are out
                flash(_("Passordet er endret. Du er logget ut på alle andre enheter."), "info")
                return redirect(url_for("staff.index"))
    status = 400 if form.errors else 200
    return render_template("auth/password.html", form=form), status
