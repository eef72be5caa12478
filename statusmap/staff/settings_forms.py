"""The form an admin keeps the municipality's details in: names, sender, contact, links."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from statusmap.models import Municipality
from statusmap.models.base import LANGUAGES

CONTACT_FIELDS = ("contact_phone", "contact_email", "contact_url", "public_url")


class SettingsForm(FlaskForm):
    """Names and department per language, contact details and the municipality's own page."""

    name_nb = StringField(_l("Navn (bokmål)"), validators=[DataRequired(), Length(max=100)])
    name_nn = StringField(_l("Navn (nynorsk)"), validators=[Length(max=100)])
    name_en = StringField(_l("Navn (engelsk)"), validators=[Length(max=100)])
    department_nb = StringField(
        _l("Avsender (bokmål)"),
        validators=[Length(max=200)],
        description=_l("Står under hver melding, for eksempel «Vann og avløp, Gran kommune»."),
    )
    department_nn = StringField(_l("Avsender (nynorsk)"), validators=[Length(max=200)])
    department_en = StringField(_l("Avsender (engelsk)"), validators=[Length(max=200)])
    contact_phone = StringField(_l("Telefon (vakt)"), validators=[Length(max=40)])
    contact_email = StringField(_l("E-postadresse"), validators=[Length(max=200)])
    contact_url = StringField(_l("Nettside for kontakt"), validators=[Length(max=500)])
    public_url = StringField(
        _l("Kommunens egen side om driftsmeldinger"), validators=[Length(max=500)]
    )

    def fill_from(self, municipality: Municipality) -> None:
        """Show the stored details."""
        for lang in LANGUAGES:
            self[f"name_{lang}"].data = municipality.name.get(lang, "")
            self[f"department_{lang}"].data = municipality.department.get(lang, "")
        for name in CONTACT_FIELDS:
            self[name].data = getattr(municipality, name)

    def changes(self) -> dict[str, Any]:
        """The details as update_municipality takes them; empty languages left out."""
        values: dict[str, Any] = {}
        for name in ("name", "department"):
            texts = {lang: (self[f"{name}_{lang}"].data or "").strip() for lang in LANGUAGES}
            values[name] = {lang: text for lang, text in texts.items() if text}
        for name in CONTACT_FIELDS:
            values[name] = (self[name].data or "").strip()
        return values
