"""An incident's notifications for editors: what each announcement did, resending, a test.

`/staff/<slug>/incidents/<id>/varsler`: per event and channel how many messages are queued,
sending, sent, delivered, failed or uncertain; the failures (recipients masked); "resend
failed" (uncertain ones only when ticked), "send to the rest" after a vulnerable-only event,
and "send a test to myself". Editors only, in their own municipality; every write audited.
"""

from __future__ import annotations

from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.auth.access import membership_in
from statusmap.auth.accounts import actor_of
from statusmap.i18n import STATUS_LABELS
from statusmap.models import Audience
from statusmap.models import EventKind
from statusmap.models import NotificationEvent
from statusmap.models import Role
from statusmap.models.audit import record
from statusmap.notify.events import send_to_the_rest
from statusmap.notify.resend import resend_failed
from statusmap.notify.resend import send_test
from statusmap.notify.staff_reads import SHOWN_STATUSES
from statusmap.notify.staff_reads import event_counts
from statusmap.notify.staff_reads import failures
from statusmap.staff.blueprint import bp
from statusmap.staff.incident_views import incident_in
from statusmap.staff.notification_forms import ResendForm
from statusmap.staff.notification_forms import RestForm
from statusmap.staff.notification_forms import TestMessageForm
from statusmap.staff.notification_labels import CHANNEL_LABELS
from statusmap.staff.notification_labels import EVENT_LABELS
from statusmap.staff.notification_labels import MESSAGE_STATUS_LABELS


def public_base_url() -> str:
    """The start of links in messages: PUBLIC_BASE_URL, else this request's host."""
    return current_app.config["PUBLIC_BASE_URL"] or request.host_url


@bp.get("/<slug>/incidents/<int:incident_id>/varsler")
def notifications(slug: str, incident_id: int) -> tuple[str, int]:
    """What the incident's announcements did, by event and channel, and what failed."""
    _user, municipality = membership_in(slug, Role.EDITOR)
    incident = incident_in(municipality, incident_id)
    session = db.session()
    counted = event_counts(session, incident.id)
    resent = {c.event.version for c in counted if c.event.kind is EventKind.RESEND}
    page = render_template(
        "staff/notifications.html",
        municipality=municipality,
        incident=incident,
        events=counted,
        failures=failures(session, incident.id),
        statuses=SHOWN_STATUSES,
        status_labels=STATUS_LABELS,
        message_status_labels=MESSAGE_STATUS_LABELS,
        channel_labels=CHANNEL_LABELS,
        event_labels=EVENT_LABELS,
        resend_form=ResendForm(formdata=None),
        rest_form=RestForm(formdata=None),
        can_send_rest=lambda e: (
            e.audience is Audience.VULNERABLE_ONLY
            and e.kind is not EventKind.RESEND
            and e.version not in resent
        ),
    )
    return page, 200


def _back(slug: str, incident_id: int) -> Response:
    return redirect(url_for("staff.notifications", slug=slug, incident_id=incident_id))


@bp.post("/<slug>/incidents/<int:incident_id>/varsler/send-igjen")
def resend_notifications(slug: str, incident_id: int) -> Response:
    """Queue the failed messages again (and the uncertain ones, when ticked)."""
    user, municipality = membership_in(slug, Role.EDITOR)
    incident = incident_in(municipality, incident_id)
    form = ResendForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    counts = resend_failed(
        session,
        incident,
        include_uncertain=bool(form.include_uncertain.data),
        actor=actor_of(user),
    )
    session.commit()
    flash(
        _(
            "%(failed)s feilede og %(uncertain)s usikre meldinger er lagt i kø igjen.",
            failed=counts["failed"],
            uncertain=counts["uncertain"],
        ),
        "info",
    )
    return _back(slug, incident_id)


@bp.post("/<slug>/incidents/<int:incident_id>/varsler/resten")
def notify_the_rest(slug: str, incident_id: int) -> Response:
    """Send a vulnerable-only announcement to everyone else inside."""
    user, municipality = membership_in(slug, Role.EDITOR)
    incident = incident_in(municipality, incident_id)
    form = RestForm()
    value = form.event_id.data or ""
    if not form.validate_on_submit() or not value.isdigit():
        abort(400)
    session = db.session()
    event = session.get(NotificationEvent, int(value))
    if event is None or event.incident_id != incident.id:
        abort(404)
    try:
        rest = send_to_the_rest(session, event, actor=actor_of(user))
    except ValueError:
        abort(400)
    record(
        session,
        actor=actor_of(user),
        action="notify_rest",
        obj=incident,
        municipality_id=municipality.id,
        event_id=rest.id,
    )
    session.commit()
    flash(_("Varselet blir sendt til resten av abonnentene i området."), "info")
    return _back(slug, incident_id)


@bp.post("/<slug>/incidents/<int:incident_id>/varsler/test")
def send_test_notification(slug: str, incident_id: int) -> Response:
    """E-mail the announcement to the editor themselves (nobody else gets it)."""
    user, municipality = membership_in(slug, Role.EDITOR)
    incident = incident_in(municipality, incident_id)
    if not TestMessageForm().validate_on_submit():
        abort(400)
    session = db.session()
    send_test(session, incident, user.email, public_base_url(), actor=actor_of(user))
    session.commit()
    flash(_("En test er sendt til %(email)s.", email=user.email), "info")
    return redirect(url_for("staff.incident", slug=slug, incident_id=incident_id))
