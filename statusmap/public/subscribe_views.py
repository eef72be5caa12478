"""Warnings by SMS, call or e-mail: the sign-up /<slug>/varsel, its code and the confirmation.

Never prepared or shared (no-store): the forms carry a per-visitor CSRF token. Every sign-up is
answered alike whether or not its phone or e-mail is known, and nothing is subscribed before
the code comes back (notify.subscriptions). Unsubscribing: public/unsubscribe_views.py.
"""

from __future__ import annotations

from flask import abort
from flask import current_app
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.addresses.search import MAX_QUERY
from statusmap.addresses.search import address_label
from statusmap.addresses.search import find_addresses
from statusmap.extensions import address_lookup
from statusmap.extensions import limited_confirms
from statusmap.extensions import limited_signups
from statusmap.i18n import current_language
from statusmap.models import Address
from statusmap.models import Municipality
from statusmap.models.base import utcnow
from statusmap.municipalities import get_municipality
from statusmap.notify.phone import mask_email
from statusmap.notify.phone import mask_phone
from statusmap.notify.subscriber_records import subscribed_addresses
from statusmap.notify.subscriber_records import subscriber_by_token
from statusmap.notify.subscriptions import MAX_ADDRESSES
from statusmap.notify.subscriptions import SignupRefused
from statusmap.notify.subscriptions import code_recipients
from statusmap.notify.subscriptions import confirm_signup
from statusmap.notify.subscriptions import pending_signup
from statusmap.notify.subscriptions import start_signup
from statusmap.public.blueprint import bp
from statusmap.public.subscribe_forms import LANGUAGE_LABELS
from statusmap.public.subscribe_forms import REFUSAL_TEXTS
from statusmap.public.subscribe_forms import CodeForm
from statusmap.public.subscribe_forms import ManageForm
from statusmap.public.subscribe_forms import SubscribeForm
from statusmap.public.subscribe_forms import queue_code


def no_store(page: str, status: int) -> Response:
    """An answer no cache keeps."""
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _municipality(slug: str) -> Municipality:
    return get_municipality(db.session(), slug) or abort(404)


def chosen_addresses(municipality: Municipality) -> list[Address]:
    """The ticked addresses of this municipality (any other id is ignored), in ticked order."""
    ids = [int(v) for v in request.form.getlist("address_id") if v.isdigit()][: MAX_ADDRESSES + 1]
    if not ids:
        return []
    found = db.session().scalars(
        select(Address).where(
            Address.id.in_(ids),
            Address.municipality_id == municipality.id,
            Address.retired_at.is_(None),
        )
    )
    by_id = {a.id: a for a in found}
    return [by_id[i] for i in dict.fromkeys(ids) if i in by_id]


@bp.route("/<slug>/varsel", methods=["GET", "POST"])
@limited_signups
def subscribe_page(slug: str) -> Response:
    """The sign-up form; "Søk" finds addresses to tick, "Meld meg på" sends the code."""
    municipality = _municipality(slug)
    form = SubscribeForm()
    chosen, candidates, status = chosen_addresses(municipality), [], 200
    if request.method == "GET":
        form.language.data = _page_language()
        if request.args.get("adresse"):  # from "am I affected?": that address, found
            form.adresse.data = request.args["adresse"][:MAX_QUERY]
            candidates = look_up(municipality, form, chosen)
    elif not form.validate_on_submit():
        status = 400  # no valid CSRF token
    elif address_lookup():
        candidates = look_up(municipality, form, chosen)
    else:
        try:
            token = _start(municipality, form, chosen)
        except SignupRefused as refused:
            db.session().rollback()
            form.refuse(refused)
            status = 422
        else:
            return redirect(url_for(".subscribe_confirm", slug=slug, token=token), 303)
    page = render_template(
        "public/subscribe.html",
        m=municipality,
        form=form,
        chosen=chosen,
        candidates=candidates,
        address_label=address_label,
    )
    return no_store(page, status)


def _page_language() -> str:
    language = current_language()
    return language if language in LANGUAGE_LABELS else "nb"


def look_up(
    municipality: Municipality, form: SubscribeForm | ManageForm, chosen: list[Address]
) -> list[Address]:
    """The addresses matching the search; one clear match is ticked at once."""
    found = find_addresses(db.session(), municipality.id, form.adresse.data or "")
    if not found:
        form.refuse(SignupRefused("address_not_found", "addresses"))
        return []
    new = [a for a in found if a not in chosen]
    if len(found) == 1:
        chosen.extend(new)
        form.adresse.data = ""
        return []
    return new


def _start(municipality: Municipality, form: SubscribeForm, chosen: list[Address]) -> str:
    session, config = db.session(), current_app.config
    started = start_signup(
        session,
        municipality.id,
        form.signup([a.id for a in chosen]),
        secret=config["SECRET_KEY"],
        now=utcnow(),
    )
    if started.send:
        queue_code(session, municipality, started.signup, started.code)
    session.commit()
    return started.signup.token


@bp.route("/<slug>/varsel/bekreft/<token>", methods=["GET", "POST"])
@limited_confirms
def subscribe_confirm(slug: str, token: str) -> Response:
    """The code form (the e-mail's link fills the code in); a right code confirms."""
    municipality = _municipality(slug)
    session = db.session()
    signup = pending_signup(session, municipality.id, token)
    if signup is None:
        return no_store(render_template("public/subscribe_gone.html", m=municipality), 404)
    form, status = CodeForm(), 200
    if request.method == "GET":
        form.kode.data = request.args.get("kode", "")[:6]
    elif not form.validate_on_submit():
        status = 400
    else:
        try:
            subscriber = confirm_signup(
                session,
                signup,
                form.kode.data or "",
                secret=current_app.config["SECRET_KEY"],
                now=utcnow(),
            )
        except SignupRefused as refused:
            session.commit()  # the attempt counts
            form.refuse(refused)
            status = 422
        else:
            session.commit()
            return redirect(url_for(".subscribe_done", slug=slug, token=subscriber.token), 303)
    channels = [c for c, _a in code_recipients(signup)]
    page = render_template(
        "public/subscribe_code.html", m=municipality, form=form, sent_by=channels
    )
    return no_store(page, status)


@bp.get("/<slug>/varsel/bekreftet/<token>")
def subscribe_done(slug: str, token: str) -> Response:
    """What the subscriber will get: addresses, channels (to masked contacts), language."""
    municipality = _municipality(slug)
    session = db.session()
    subscriber = subscriber_by_token(session, municipality.id, token)
    if subscriber is None:
        return no_store(render_template("public/subscribe_gone.html", m=municipality), 404)
    page = render_template(
        "public/subscribe_done.html",
        m=municipality,
        subscriber=subscriber,
        addresses=[address_label(a) for a in subscribed_addresses(session, subscriber)],
        phone=mask_phone(subscriber.phone) if subscriber.phone else "",
        email=mask_email(subscriber.email) if subscriber.email else "",
        language_labels=LANGUAGE_LABELS,
        refusal_texts=REFUSAL_TEXTS,
    )
    return no_store(page, 200)
