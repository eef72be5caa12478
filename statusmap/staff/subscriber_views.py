"""Staff's view of subscribers /staff/<slug>/abonnenter: counts, an exact search by phone or
e-mail, one subscriber's addresses, the vulnerable flag, export (editors) and delete (admins).

Contacts are searched by POST, so no phone number or e-mail lands in a URL or an access log;
a subscriber is then shown by id. Every change and export is audited with masked contacts.
"""

from __future__ import annotations

import json

from flask import abort
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.addresses.search import address_label
from statusmap.auth.access import membership_in
from statusmap.auth.accounts import actor_of
from statusmap.i18n import current_language
from statusmap.incidents.affected import category_label
from statusmap.models import Municipality
from statusmap.models import Role
from statusmap.models import Subscriber
from statusmap.models.address import VulnerableCategory
from statusmap.models.base import utcnow
from statusmap.notify.phone import mask_email
from statusmap.notify.phone import mask_phone
from statusmap.notify.phone import masked_contacts
from statusmap.notify.subscriber_records import audit_subscriber
from statusmap.notify.subscriber_records import erase_subscriber
from statusmap.notify.subscriber_records import export_subscriber
from statusmap.notify.subscriber_records import set_vulnerable
from statusmap.notify.subscriber_records import subscribed_addresses
from statusmap.notify.subscriber_records import subscriber_by_contact
from statusmap.notify.subscriber_records import subscriber_counts
from statusmap.staff.blueprint import bp


def subscriber_in(municipality: Municipality, value: str | None) -> Subscriber:
    """The subscriber with this id in this municipality, or 404."""
    subscriber = db.session().get(Subscriber, int(value)) if value and value.isdigit() else None
    if subscriber is None or subscriber.municipality_id != municipality.id:
        abort(404)
    return subscriber


@bp.route("/<slug>/abonnenter", methods=["GET", "POST"])
def subscribers(slug: str) -> Response | str:
    """Counts and the search (POST); ?abonnent=<id> shows one subscriber."""
    _user, municipality = membership_in(slug, Role.EDITOR)
    session, shown, searched = db.session(), None, False
    if request.method == "POST":
        typed = request.form.get("kontakt", "").strip()[:300]
        found = subscriber_by_contact(session, municipality.id, typed)
        if found is not None:
            return redirect(url_for(".subscribers", slug=slug, abonnent=found.id), 303)
        searched = True
    elif "abonnent" in request.args:
        shown = subscriber_in(municipality, request.args["abonnent"])
    lang = current_language()
    return render_template(
        "staff/subscribers.html",
        municipality=municipality,
        counts=subscriber_counts(session, municipality.id, utcnow()),
        searched=searched,
        shown=shown,
        addresses=[address_label(a) for a in subscribed_addresses(session, shown)] if shown else [],
        contacts=_contacts(shown) if shown else {},
        categories=[(c.value, category_label(c, lang)) for c in VulnerableCategory],
        category_label=lambda c: category_label(c, lang),
    )


def _contacts(subscriber: Subscriber) -> dict[str, str]:
    """The contacts as staff see them: masked (the person's export holds them whole)."""
    shown = {}
    if subscriber.phone:
        shown["phone"] = mask_phone(subscriber.phone)
    if subscriber.email:
        shown["email"] = mask_email(subscriber.email)
    return shown


@bp.post("/<slug>/abonnenter/sarbar")
def subscriber_vulnerable(slug: str) -> Response:
    """Flag a subscriber as vulnerable (category and note), or unflag them."""
    user, municipality = membership_in(slug, Role.EDITOR)
    subscriber = subscriber_in(municipality, request.form.get("subscriber_id"))
    value = request.form.get("category", "")
    try:
        category = VulnerableCategory(value) if value else None
    except ValueError:
        abort(400)
    note = request.form.get("note", "")
    set_vulnerable(db.session(), subscriber, category, note, actor=actor_of(user))
    db.session().commit()
    flash(_("Sårbarhet er lagret.") if category else _("Merket som sårbar er fjernet."), "info")
    return redirect(url_for(".subscribers", slug=slug, abonnent=subscriber.id), 303)


@bp.post("/<slug>/abonnenter/eksport")
def subscriber_export(slug: str) -> Response:
    """All we hold about the subscriber, as a JSON file (a GDPR access request); audited."""
    user, municipality = membership_in(slug, Role.EDITOR)
    session = db.session()
    subscriber = subscriber_in(municipality, request.form.get("subscriber_id"))
    data = export_subscriber(session, subscriber)
    audit_subscriber(session, subscriber, "export_subscriber", actor_of(user))
    session.commit()
    response = make_response(json.dumps(data, ensure_ascii=False, indent=2))
    response.mimetype = "application/json"
    name = f"abonnent-{subscriber.id}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.post("/<slug>/abonnenter/slett")
def subscriber_delete(slug: str) -> Response:
    """Erase the subscriber and every trace of their contacts (admins only); audited."""
    user, municipality = membership_in(slug, Role.ADMIN)
    session = db.session()
    subscriber = subscriber_in(municipality, request.form.get("subscriber_id"))
    masks = ", ".join(masked_contacts(subscriber.phone, subscriber.email).values())
    audit_subscriber(session, subscriber, "delete_subscriber", actor_of(user))
    erase_subscriber(session, subscriber)
    session.commit()
    flash(_("Abonnenten %(who)s og opplysningene deres er slettet.", who=masks), "info")
    return redirect(url_for(".subscribers", slug=slug), 303)
