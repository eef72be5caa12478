"""The texts of a confirmation code, in the subscriber's language, one per channel.

Queued as one-off outbox messages (the worker sends them): an SMS with the code, a call that
reads it out, an e-mail with the code and the confirm link. Each names the sending department.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from statusmap.models import Municipality
from statusmap.models import SubscriberSignup
from statusmap.notify.subscriptions import CONFIRM_TTL
from statusmap.notify.subscriptions import code_recipients
from statusmap.notify.subscriptions import enqueue_one_off
from statusmap.web import external_url


def code_texts(municipality: Municipality, code: str, link: str, lang: str) -> dict[str, str]:
    """Subject and the body of each channel, in `lang`."""
    minutes = int(CONFIRM_TTL.total_seconds() // 60)
    with force_locale(lang):
        sender = municipality.department_in(lang) or municipality.name_in(lang)
        return {
            "subject": _("Koden din for varsel fra %(sender)s", sender=sender),
            "sms": _(
                "%(code)s er koden din for varsel om vann og avløp fra %(sender)s."
                " Den gjelder i %(minutes)d minutter.",
                code=code,
                sender=sender,
                minutes=minutes,
            ),
            "voice": _(
                "Dette er %(sender)s. Koden din for varsel om vann og avløp er %(digits)s."
                " Jeg gjentar: %(digits)s.",
                sender=sender,
                digits=", ".join(code),
            ),
            "email": _(
                "Hei!\n\nNoen, forhåpentligvis du, vil ha varsel om vann og avløp fra"
                " %(sender)s.\n\nKoden din er: %(code)s\n\nDu kan også bekrefte med denne"
                " lenken:\n%(link)s\n\nKoden og lenken gjelder i %(minutes)d minutter. Var det"
                " ikke deg, kan du se bort fra denne e-posten: da lagrer vi ingenting.\n\n"
                "Hilsen %(sender)s",
                sender=sender,
                code=code,
                link=link,
                minutes=minutes,
            ),
        }


def queue_code(
    session: Session, municipality: Municipality, signup: SubscriberSignup, code: str
) -> int:
    """Queue the code to every contact of the sign-up; how many messages."""
    link = external_url(
        "public.subscribe_confirm", slug=municipality.slug, token=signup.token, kode=code
    )
    texts = code_texts(municipality, code, link, signup.language)
    recipients = code_recipients(signup)
    for channel, recipient in recipients:
        enqueue_one_off(
            session,
            municipality.id,
            channel,
            recipient,
            language=signup.language,
            subject=texts["subject"],
            body=texts[channel],
        )
    return len(recipients)
