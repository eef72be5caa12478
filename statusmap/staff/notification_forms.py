"""Forms about notifications: whom an announcement goes to, a test to oneself, resending."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import HiddenField
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from statusmap.models import Audience

AUDIENCE_CHOICES = [
    SelectChoice(Audience.ALL.value, _l("Alle abonnenter i området, sårbare først")),
    SelectChoice(
        Audience.VULNERABLE_ONLY.value, _l("Bare sårbare abonnenter (resten kan varsles senere)")
    ),
]


def audience_field() -> Any:
    """The choice of audience on the publish, schedule, resolve and edit forms (all by default)."""
    return RadioField(
        _l("Hvem skal varsles"),
        choices=AUDIENCE_CHOICES,
        default=Audience.ALL.value,
        validate_choice=False,
    )


def chosen_audience(form: Any) -> Audience:
    """The audience a form chose; anything else than vulnerable-only is everyone."""
    field = getattr(form, "audience", None)
    wanted = getattr(field, "data", None)
    return Audience.VULNERABLE_ONLY if wanted == Audience.VULNERABLE_ONLY.value else Audience.ALL


class TestMessageForm(FlaskForm):
    """Send the announcement's e-mail to oneself."""


class ResendForm(FlaskForm):
    """Queue the failed messages again; uncertain ones only when the editor says so."""

    include_uncertain = BooleanField(
        _l("Send også de usikre på nytt (de kan allerede ha kommet fram)"),
        description=_l(
            "Usikre meldinger ble kanskje levert: leverandøren svarte ikke. "
            "Kryss av bare hvis du godtar at noen kan få meldingen to ganger."
        ),
    )


class RestForm(FlaskForm):
    """Send a vulnerable-only announcement to everyone else inside."""

    event_id = HiddenField()
