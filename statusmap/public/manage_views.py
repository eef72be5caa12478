"""A subscriber's manage page /<slug>/varsel/endre/<token>: their addresses (remove, or find and
add more), channels and language. The token is the same secret as in the unsubscribe link."""

from __future__ import annotations

from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.addresses.search import address_label
from statusmap.extensions import address_lookup
from statusmap.models import Address
from statusmap.models import Municipality
from statusmap.models import Subscriber
from statusmap.municipalities import get_municipality
from statusmap.notify.subscriber_changes import change_subscription
from statusmap.notify.subscriber_records import subscribed_addresses
from statusmap.notify.subscriber_records import subscriber_by_token
from statusmap.notify.subscriptions import SignupRefused
from statusmap.public.blueprint import bp
from statusmap.public.subscribe_forms import ManageForm
from statusmap.public.subscribe_views import chosen_addresses
from statusmap.public.subscribe_views import look_up
from statusmap.public.subscribe_views import no_store


def _owner(slug: str, token: str) -> tuple[Municipality, Subscriber | None]:
    municipality = get_municipality(db.session(), slug) or abort(404)
    return municipality, subscriber_by_token(db.session(), municipality.id, token)


@bp.route("/<slug>/varsel/endre/<token>", methods=["GET", "POST"])
def manage_subscription(slug: str, token: str) -> Response:
    """The subscriber's choices; "Legg til adressen" finds more, "Lagre" keeps what is ticked."""
    municipality, subscriber = _owner(slug, token)
    if subscriber is None:
        page = render_template("public/subscribe_gone.html", m=municipality, unsubscribed=True)
        return no_store(page, 404)
    form, candidates, status = ManageForm(), [], 200
    if request.method == "GET":
        chosen = subscribed_addresses(db.session(), subscriber)
        _fill(form, subscriber)
    else:
        chosen = chosen_addresses(municipality)
        if not form.validate_on_submit():
            status = 400
        elif address_lookup():
            candidates = look_up(municipality, form, chosen)
        elif _saved(subscriber, form, chosen):
            flash(_("Endringene er lagret."), "info")
            return redirect(url_for(".manage_subscription", slug=slug, token=token), 303)
        else:
            status = 422
    page = render_template(
        "public/subscribe_manage.html",
        m=municipality,
        form=form,
        subscriber=subscriber,
        chosen=chosen,
        candidates=candidates,
        address_label=address_label,
    )
    return no_store(page, status)


def _saved(subscriber: Subscriber, form: ManageForm, chosen: list[Address]) -> bool:
    """Keep the ticked choices (committed), or show why not (False)."""
    try:
        change_subscription(
            db.session(),
            subscriber,
            address_ids=[a.id for a in chosen],
            channels=form.channels(),
            language=form.language.data or "nb",
        )
    except SignupRefused as refused:
        db.session().rollback()
        form.refuse(refused)
        return False
    db.session().commit()
    return True


def _fill(form: ManageForm, subscriber: Subscriber) -> None:
    form.sms.data, form.voice.data = subscriber.wants_sms, subscriber.wants_voice
    form.email_channel.data, form.language.data = subscriber.wants_email, subscriber.language
