"""The incident form: texts in three languages, times in Norwegian time, the area as GeoJSON."""

from __future__ import annotations

import json
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from shapely.geometry import mapping
from wtforms import DateTimeLocalField
from wtforms import HiddenField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from statusmap.i18n import KIND_LABELS
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models.base import LANGUAGES
from statusmap.oslo_time import OSLO
from statusmap.oslo_time import OsloTimeError
from statusmap.oslo_time import as_oslo
from statusmap.staff.notification_forms import audience_field

TEXT_FIELDS = ("title", "summary", "advice")
LANGUAGE_NAMES = {"nb": _l("Bokmål"), "nn": _l("Nynorsk"), "en": _l("Engelsk")}
_TIME_FORMAT = "%Y-%m-%dT%H:%M"


class IncidentForm(FlaskForm):
    """Create or edit an incident; `version` is the one the editor opened (stale edits refused)."""

    kind = SelectField(
        _l("Type hendelse"), choices=[SelectChoice(k.value, KIND_LABELS[k]) for k in IncidentKind]
    )
    title_nb = StringField(_l("Tittel"), validators=[DataRequired(), Length(max=200)])
    title_nn = StringField(_l("Tittel"), validators=[Length(max=200)])
    title_en = StringField(_l("Tittel"), validators=[Length(max=200)])
    summary_nb = TextAreaField(_l("Melding"), validators=[Length(max=4000)])
    summary_nn = TextAreaField(_l("Melding"), validators=[Length(max=4000)])
    summary_en = TextAreaField(_l("Melding"), validators=[Length(max=4000)])
    advice_nb = TextAreaField(_l("Råd til innbyggerne"), validators=[Length(max=4000)])
    advice_nn = TextAreaField(_l("Råd til innbyggerne"), validators=[Length(max=4000)])
    advice_en = TextAreaField(_l("Råd til innbyggerne"), validators=[Length(max=4000)])
    starts_at = DateTimeLocalField(
        _l("Start (norsk tid)"), format=_TIME_FORMAT, validators=[Optional()]
    )
    expected_end = DateTimeLocalField(
        _l("Forventet slutt (norsk tid)"), format=_TIME_FORMAT, validators=[Optional()]
    )
    area = TextAreaField(
        _l("Område som GeoJSON"),
        description=_l(
            "Tegn området på kartet, last opp en fil, eller lim inn GeoJSON (Polygon eller "
            "MultiPolygon i lengde- og breddegrader, EPSG:4326)."
        ),
    )
    area_file = FileField(
        _l("Last opp område"),
        description=_l(
            "GeoJSON, GeoPackage eller zippet Shapefile, i hvilket som helst koordinatsystem."
        ),
    )
    version = HiddenField()
    # Whom an announced change (area, status, expected end) goes to.
    audience = audience_field()

    def texts(self, name: str) -> dict[str, str]:
        """One text field in each language, the empty ones left out."""
        found = {lang: (getattr(self, f"{name}_{lang}").data or "").strip() for lang in LANGUAGES}
        return {lang: text for lang, text in found.items() if text}

    def aware_time(self, name: str) -> datetime | None:
        """A time field as an aware time; a field error (and None) if it is not one in Norway."""
        field = getattr(self, name)
        if field.data is None:
            return None
        try:
            return as_oslo(field.data)
        except OsloTimeError as exc:
            field.errors = [*field.errors, str(exc)]
            return None

    def fill_from(self, incident: Incident) -> None:
        """Show an incident's stored values in the form."""
        self.kind.data = incident.kind.value
        for name in TEXT_FIELDS:
            texts: dict[str, str] = getattr(incident, name)
            for lang in LANGUAGES:
                getattr(self, f"{name}_{lang}").data = texts.get(lang, "")
        self.starts_at.data = _local(incident.starts_at)
        self.expected_end.data = _local(incident.expected_end)
        self.version.data = str(incident.version)
        self.area.data = json.dumps(mapping(incident.area)) if incident.area is not None else ""


def _local(value: datetime | None) -> datetime | None:
    return value.astimezone(OSLO).replace(tzinfo=None) if value else None
