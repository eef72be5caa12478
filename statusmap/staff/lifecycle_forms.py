"""Forms that move an incident along its lifecycle; each names the version the editor saw."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import DateTimeLocalField
from wtforms import HiddenField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Optional

from statusmap.models.base import LANGUAGES
from statusmap.staff.notification_forms import audience_field

_TIME_FORMAT = "%Y-%m-%dT%H:%M"


class VersionForm(FlaskForm):
    """A button that acts on the version of the incident the editor had open."""

    version = HiddenField(validators=[DataRequired()])


class PublishForm(VersionForm):
    """Publish now, choosing whom the announcement goes to."""

    audience = audience_field()


class ScheduleForm(VersionForm):
    """Plan the incident: public now as planned, active by itself at its start."""

    audience = audience_field()
    starts_at = DateTimeLocalField(
        _l("Start (norsk tid)"), format=_TIME_FORMAT, validators=[Optional()]
    )
    expected_end = DateTimeLocalField(
        _l("Forventet slutt (norsk tid)"), format=_TIME_FORMAT, validators=[Optional()]
    )
    auto_resolve = BooleanField(_l("Avslutt hendelsen av seg selv ved forventet slutt"))


class TextsForm(VersionForm):
    """A text in each language (bokmål required): an update, or the closing message."""

    def texts(self) -> dict[str, str]:
        """The texts given, the empty ones left out."""
        found = {lang: (self[f"body_{lang}"].data or "").strip() for lang in LANGUAGES}
        return {lang: text for lang, text in found.items() if text}


def _texts_form(name: str, labels: dict[str, object], **extra: object) -> type[TextsForm]:
    fields: dict[str, object] = {
        f"body_{lang}": TextAreaField(
            labels[lang],
            validators=[DataRequired()] if lang == "nb" else [Length(max=4000)],
            render_kw={"lang": lang},
        )
        for lang in LANGUAGES
    }
    fields.update(extra)
    return type(name, (TextsForm,), fields)


UpdateForm = _texts_form(
    "UpdateForm",
    {
        "nb": _l("Oppdatering på bokmål"),
        "nn": _l("Oppdatering på nynorsk"),
        "en": _l("Oppdatering på engelsk"),
    },
)
ResolveForm = _texts_form(
    "ResolveForm",
    {
        "nb": _l("Avsluttende melding på bokmål"),
        "nn": _l("Avsluttende melding på nynorsk"),
        "en": _l("Avsluttende melding på engelsk"),
    },
    audience=audience_field(),
)
