"""The words of a sign-up for warnings: the form (Flask-WTF: it carries the CSRF token), the code
form, what each refusal means to a resident, and the code's messages in the subscriber's
language (one-off outbox messages the worker sends: an SMS with the code, a call that reads it
out, an e-mail with the code and the confirm link; each names the sending department)."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import BooleanField
from wtforms import RadioField
from wtforms import StringField
from wtforms.fields.choices import SelectChoice

from statusmap.models import Municipality
from statusmap.models import SubscriberSignup
from statusmap.notify.subscriptions import CONFIRM_TTL
from statusmap.notify.subscriptions import SignupInput
from statusmap.notify.subscriptions import SignupRefused
from statusmap.notify.subscriptions import code_recipients
from statusmap.notify.subscriptions import enqueue_one_off
from statusmap.web import external_url

LANGUAGE_LABELS = {"nb": _l("Bokmål"), "nn": _l("Nynorsk"), "en": _l("Engelsk")}
REFUSAL_TEXTS = {
    "phone_invalid": _l(
        "Skriv et gyldig telefonnummer, for eksempel 912 34 567 eller +46 70 123 45 67."
    ),
    "email_invalid": _l("Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no."),
    "contact_missing": _l("Skriv et telefonnummer eller en e-postadresse."),
    "channel_missing": _l("Velg minst én måte å bli varslet på."),
    "channel_unknown": _l("Velg SMS, telefonsamtale eller e-post."),
    "channel_needs_phone": _l("SMS og telefonsamtale krever et telefonnummer."),
    "channel_needs_email": _l("Varsel på e-post krever en e-postadresse."),
    "language_unknown": _l("Velg et språk."),
    "consent_missing": _l("Kryss av for at du vil ha varsel og godtar at vi lagrer opplysningene."),
    "address_missing": _l("Legg til minst én adresse."),
    "address_too_many": _l("Du kan velge høyst 20 adresser."),
    "address_unknown": _l("En av adressene finnes ikke i kommunen. Søk den opp på nytt."),
    "address_not_found": _l(
        "Vi fant ingen adresse som passer. Skriv gatenavn og husnummer, for eksempel"
        " «Storgata 12B»."
    ),
    "code_wrong": _l("Koden stemmer ikke. Sjekk sifrene og prøv igjen."),
    "code_expired": _l("Koden er utløpt. Meld deg på på nytt for å få en ny kode."),
    "code_attempts": _l("Du har prøvd for mange ganger. Meld deg på på nytt for å få en ny kode."),
}  # fmt: skip
FIELD_OF = {"addresses": "adresse", "phone": "phone", "email": "email", "channels": "sms"}


class SubscribeForm(FlaskForm):
    """Addresses (found by the search field, ticked as checkboxes), contacts, channels,
    language and consent. The addresses are read from the `address_id` checkboxes."""

    adresse = StringField(
        _l("Adresse"), description=_l("Gatenavn og husnummer, for eksempel «Storgata 12B».")
    )
    phone = StringField(
        _l("Mobilnummer (valgfritt)"),
        description=_l("Norske numre uten +47; andre land med landskode, for eksempel +46."),
    )
    email = StringField(_l("E-post (valgfritt)"))
    sms = BooleanField(_l("SMS"))
    voice = BooleanField(_l("Telefonsamtale (opplest melding)"))
    email_channel = BooleanField(_l("E-post"))
    language = RadioField(
        _l("Språk i meldingene"),
        choices=[SelectChoice(k, v) for k, v in LANGUAGE_LABELS.items()],
        default="nb",
        validate_choice=False,
    )
    consent = BooleanField(
        _l(
            "Ja, jeg vil ha varsel om vann og avløp for adressene over. Kommunen lagrer"
            " telefonnummer, e-post og adresser til jeg melder meg av."
        )
    )

    def signup(self, address_ids: list[int]) -> SignupInput:
        """The fields as the sign-up reads them."""
        ticked = (self.sms.data, self.voice.data, self.email_channel.data)
        channels = dict(zip(("sms", "voice", "email"), ticked, strict=True))
        return SignupInput(
            phone=(self.phone.data or "")[:40],
            email=(self.email.data or "")[:300],
            channels=frozenset(name for name, ticked in channels.items() if ticked),
            language=self.language.data or "nb",
            address_ids=tuple(address_ids),
            consent=bool(self.consent.data),
        )

    def refuse(self, refused: SignupRefused) -> None:
        """Show a refusal beside its field."""
        name = FIELD_OF.get(refused.field, refused.field)
        field = self._fields.get(name, self.adresse)
        field.errors = [*field.errors, REFUSAL_TEXTS.get(refused.code, str(refused))]


class CodeForm(FlaskForm):
    """The 6-digit code from the SMS or e-mail."""

    kode = StringField(_l("Kode"), description=_l("Seks sifre."))

    def refuse(self, refused: SignupRefused) -> None:
        self.kode.errors = [REFUSAL_TEXTS.get(refused.code, str(refused))]


class ConfirmButtonForm(FlaskForm):
    """A form with nothing but its CSRF token: one button (unsubscribe)."""


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


class ManageForm(FlaskForm):
    """A subscriber's own changes: addresses (ticked; more found by the search), channels for
    the contacts they have, and language."""

    adresse = SubscribeForm.adresse
    sms = SubscribeForm.sms
    voice = SubscribeForm.voice
    email_channel = SubscribeForm.email_channel
    language = SubscribeForm.language

    def channels(self) -> frozenset[str]:
        """The ticked channels."""
        ticked = {"sms": self.sms.data, "voice": self.voice.data, "email": self.email_channel.data}
        return frozenset(name for name, on in ticked.items() if on)

    def refuse(self, refused: SignupRefused) -> None:
        """Show a refusal beside its field."""
        SubscribeForm.refuse(self, refused)
