"""The form an admin edits a kind's message texts in: title, message and advice in each language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from statusmap.incidents.message_templates import FIELDS
from statusmap.incidents.message_templates import MAX_LENGTH
from statusmap.incidents.message_templates import Texts
from statusmap.models.base import LANGUAGES

FIELD_LABELS = {
    "title": _l("Tittel"),
    "summary": _l("Melding"),
    "advice": _l("Råd til innbyggerne"),
}


class TemplateForm(FlaskForm):
    """Nine texts: each field in each language (fields are added below, one per pair)."""

    def texts(self) -> Texts:
        """The submitted texts as {field: {language: text}}."""
        return {
            field: {lang: (self[f"{field}_{lang}"].data or "").strip() for lang in LANGUAGES}
            for field in FIELDS
        }

    def fill(self, texts: Texts) -> None:
        """Show stored texts."""
        for field in FIELDS:
            for lang in LANGUAGES:
                self[f"{field}_{lang}"].data = texts[field][lang]


for _field in FIELDS:
    for _lang in LANGUAGES:
        setattr(
            TemplateForm,
            f"{_field}_{_lang}",
            TextAreaField(FIELD_LABELS[_field], validators=[Length(max=MAX_LENGTH[_field])]),
        )
