"""The report form (Flask-WTF: it carries the CSRF token) and its words: kinds, "since when",
and what each refusal code means to a resident."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice

from statusmap.models import ReportKind
from statusmap.models.report import CONTACT_MAX
from statusmap.models.report import TEXT_MAX
from statusmap.reports.intake import SINCE_MORNING
from statusmap.reports.intake import SINCE_NOW
from statusmap.reports.intake import SINCE_TIME
from statusmap.reports.intake import SINCE_YESTERDAY
from statusmap.reports.intake import TypedReport
from statusmap.reports.submission import ReportRefused

REPORT_KIND_LABELS = {
    ReportKind.NO_WATER: _l("Ingen vann"),
    ReportKind.LOW_PRESSURE: _l("Lavt trykk"),
    ReportKind.DISCOLOURED_WATER: _l("Misfarget vann"),
    ReportKind.LEAK_SEEN: _l("Vann i gata / lekkasje"),
    ReportKind.SEWER: _l("Avløp: problem eller lukt"),
    ReportKind.WATER_OK: _l("Vannet mitt er i orden"),
}
SINCE_LABELS = {
    SINCE_NOW: _l("Nå nettopp"),
    SINCE_MORNING: _l("I morges"),
    SINCE_YESTERDAY: _l("I går"),
    SINCE_TIME: _l("Et annet tidspunkt"),
}
# Each refusal in the resident's words; the form field it is shown beside.
REFUSAL_TEXTS = {
    "kind_invalid": _l("Velg hva du ser."),
    "location_missing": _l("Skriv en adresse, eller trykk i kartet der det gjelder."),
    "location_invalid": _l(
        "Vi kunne ikke lese punktet i kartet. Trykk igjen, eller skriv en adresse."
    ),
    "address_unknown": _l(
        "Vi fant ikke adressen. Skriv gatenavn og husnummer, for eksempel «Storgata 12B»."
    ),
    "address_ambiguous": _l(
        "Adressen passer flere steder. Skriv også husnummer, bokstav eller postnummer."
    ),
    "outside": _l("Stedet ligger utenfor kommunen. Velg et sted i kommunen."),
    "text_too_long": _l("Teksten kan ha høyst 500 tegn."),
    "text_invalid": _l("Teksten har tegn vi ikke kan ta imot."),
    "contact_invalid": _l("Skriv et telefonnummer eller en e-postadresse."),
    "consent_missing": _l("Kryss av for at vi kan kontakte deg, eller fjern kontaktopplysningen."),
    "since_invalid": _l("Velg når det begynte, eller skriv et tidspunkt."),
    "since_future": _l("Tidspunktet er fram i tid."),
    "since_too_old": _l("Tidspunktet er mer enn 14 dager siden. Velg et nyere tidspunkt."),
}  # fmt: skip
FIELD_OF = {"location": "adresse", "address": "adresse", "observed_since": "since"}


class ReportForm(FlaskForm):
    """What, where (a tap on the map fills lat/lon; the address works without JavaScript),
    since when, a short text, and a contact only with consent. `website` is the honeypot."""

    kind = RadioField(
        _l("Hva ser du?"),
        choices=[SelectChoice(k.value, v) for k, v in REPORT_KIND_LABELS.items()],
        validate_choice=False,
    )
    lat = HiddenField()
    lon = HiddenField()
    adresse = StringField(
        _l("Adresse"), description=_l("Gatenavn og husnummer, for eksempel «Storgata 12B».")
    )
    since = RadioField(
        _l("Siden når?"),
        choices=[SelectChoice(k, v) for k, v in SINCE_LABELS.items()],
        default=SINCE_NOW,
        validate_choice=False,
    )
    since_time = StringField(_l("Tidspunkt"), description=_l("Norsk tid."))
    text = TextAreaField(
        _l("Fortell kort hva du ser (valgfritt)"),
        description=_l(
            "Høyst %(count)d tegn. Ikke skriv navn eller annet om andre.", count=TEXT_MAX
        ),
    )
    contact = StringField(
        _l("Telefon eller e-post (valgfritt)"),
        description=_l("Bare hvis vi kan kontakte deg om meldingen."),
    )
    consent = BooleanField(
        _l(
            "Ja, kommunen kan kontakte meg om denne meldingen. Kontaktopplysningen slettes"
            " senest 30 dager etter at saken er løst."
        )
    )
    website = StringField(_l("Ikke fyll ut dette feltet"))

    def typed(self) -> TypedReport:
        """The fields as the intake reads them."""
        return TypedReport(
            kind=self.kind.data or "",
            lat=self.lat.data or None,
            lon=self.lon.data or None,
            address=self.adresse.data or "",
            since=self.since.data or "",
            since_time=self.since_time.data or "",
            text=self.text.data or "",
            contact=(self.contact.data or "")[: CONTACT_MAX * 2],
            consent=bool(self.consent.data),
        )

    def refuse(self, refused: ReportRefused) -> None:
        """Show a refusal beside its field."""
        name = FIELD_OF.get(refused.field, refused.field)
        field = self._fields.get(name, self.adresse)
        field.errors = [*field.errors, REFUSAL_TEXTS.get(refused.code, str(refused))]
