"""One-step unsubscribe /<slug>/varsel/av/<token> (notify.links.unsubscribe_path), and its
short form /av/<token> for SMS.

GET shows what ends and one button; POST ends it at once: the subscriber and every trace of
their contacts are deleted (notify.subscriber_records.erase_subscriber). Mail clients' one-click
unsubscribe (RFC 8058: a POST with the body `List-Unsubscribe=One-Click`) cannot carry a CSRF
token, so this view is exempt from CSRFProtect and checks the token itself for every other POST.
The link's token is the secret: a forged cross-site POST without it can end nothing.
"""

from __future__ import annotations

from flask import abort
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_wtf.csrf import CSRFError
from flask_wtf.csrf import validate_csrf
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import ValidationError

from statusmap import db
from statusmap.addresses.search import address_label
from statusmap.extensions import csrf
from statusmap.models import Municipality
from statusmap.models import Subscriber
from statusmap.models.audit import Actor
from statusmap.models.audit import record
from statusmap.municipalities import get_municipality
from statusmap.notify.phone import mask_email
from statusmap.notify.phone import mask_phone
from statusmap.notify.subscriber_records import erase_subscriber
from statusmap.notify.subscriber_records import subscribed_addresses
from statusmap.notify.subscriber_records import subscriber_by_token
from statusmap.public.blueprint import bp
from statusmap.public.subscribe_forms import ConfirmButtonForm
from statusmap.public.subscribe_views import no_store

ONE_CLICK = "One-Click"


@bp.route("/<slug>/varsel/av/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(slug: str, token: str) -> Response:
    """What ends and the button (GET); the end itself (POST, the form or a mail client's)."""
    session = db.session()
    municipality = get_municipality(session, slug) or abort(404)
    subscriber = subscriber_by_token(session, municipality.id, token)
    if subscriber is None:
        page = render_template("public/subscribe_gone.html", m=municipality, unsubscribed=True)
        return no_store(page, 404)
    if request.method == "POST":
        if request.form.get("List-Unsubscribe") != ONE_CLICK:
            _check_csrf()
        subscriber_id = subscriber.id
        erase_subscriber(session, subscriber)
        # Who left is not kept: the row says only that a subscriber ended their subscription.
        record(
            session,
            actor=Actor("subscriber"),
            action="unsubscribe",
            obj=municipality,
            municipality_id=municipality.id,
            subscriber=subscriber_id,
        )
        session.commit()
        return no_store(render_template("public/subscribe_ended.html", m=municipality), 200)
    page = render_template(
        "public/subscribe_end.html",
        m=municipality,
        form=ConfirmButtonForm(),
        token=token,
        addresses=[address_label(a) for a in subscribed_addresses(session, subscriber)],
        phone=mask_phone(subscriber.phone) if subscriber.phone else "",
        email=mask_email(subscriber.email) if subscriber.email else "",
    )
    return no_store(page, 200)


def _check_csrf() -> None:
    """The form's token, as CSRFProtect would have checked it: 400 when missing or wrong."""
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError as error:
        raise CSRFError(error.args[0]) from error


@bp.get("/av/<token>")
def unsubscribe_short(token: str) -> Response:
    """The short link in SMS (links.short_unsubscribe_path): 302 to the subscriber's page."""
    session = db.session()
    subscriber = session.scalar(select(Subscriber).where(Subscriber.token == token))
    if subscriber is None:
        abort(404)
    slug = session.get_one(Municipality, subscriber.municipality_id).slug
    response = redirect(url_for("public.unsubscribe", slug=slug, token=token), code=302)
    response.headers["Cache-Control"] = "no-store"
    return response
