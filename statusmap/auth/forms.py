"""Login and password forms (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms import HiddenField
from wtforms import PasswordField
from wtforms.validators import DataRequired
from wtforms.validators import EqualTo
from wtforms.validators import Length

from statusmap.auth.passwords import MAX_LENGTH
from statusmap.auth.passwords import MIN_LENGTH


class LoginForm(FlaskForm):
    """E-mail address and password."""

    email = EmailField(_l("E-postadresse"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Passord"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    next = HiddenField()


class PasswordForm(FlaskForm):
    """The current password, and a new one twice."""

    current = PasswordField(_l("Nåværende passord"), validators=[DataRequired()])
    new = PasswordField(
        _l("Nytt passord"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)],
        description=_l("Minst %(count)d tegn.", count=MIN_LENGTH),
    )
    repeat = PasswordField(
        _l("Gjenta nytt passord"),
        validators=[DataRequired(), EqualTo("new", message=_l("Passordene er ikke like."))],
    )
