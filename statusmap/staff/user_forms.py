"""Forms an admin uses to manage the municipality's staff."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms import SelectField
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.validators import Length

from statusmap.i18n import ROLE_LABELS
from statusmap.models import Role

ROLE_CHOICES = [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role]


class AddUserForm(FlaskForm):
    """Give a person a role here: a new account, or an existing one."""

    email = EmailField(_l("E-postadresse"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Navn"), validators=[Length(max=200)])
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES, default=Role.EDITOR.value)


class RoleForm(FlaskForm):
    """Change a member's role."""

    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES)


class ConfirmForm(FlaskForm):
    """A button that changes something: only its CSRF token."""
