"""Names staff read for notification events, channels and message statuses (bokmål msgids)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from statusmap.models import EventKind
from statusmap.models import MessageStatus

EVENT_LABELS = {
    EventKind.PUBLISHED: _l("Publisert"),
    EventKind.UPDATED: _l("Oppdatert"),
    EventKind.AREA_CHANGED: _l("Endret område"),
    EventKind.RESOLVED: _l("Avsluttet"),
    EventKind.RESEND: _l("Sendt til resten"),
}
CHANNEL_LABELS = {"sms": _l("SMS"), "voice": _l("Talemelding"), "email": _l("E-post")}
MESSAGE_STATUS_LABELS = {
    MessageStatus.QUEUED: _l("I kø"),
    MessageStatus.SENDING: _l("Sendes"),
    MessageStatus.SENT: _l("Sendt"),
    MessageStatus.DELIVERED: _l("Levert"),
    MessageStatus.FAILED: _l("Feilet"),
    MessageStatus.UNCERTAIN: _l("Usikker"),
    MessageStatus.CANCELLED: _l("Stoppet"),
}
