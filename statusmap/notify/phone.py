"""Phone numbers and e-mail addresses as subscribers give them, checked and stored one way.

Numbers go through `phonenumbers` (Google's libphonenumber metadata): a Norwegian number may be
written without +47 ("912 34 567"), any other with its country code ("+46 70 123 45 67" or
"0046..."); all are stored as E.164 ("+4791234567"). Masks show staff and the audit log enough
to tell people apart, never the whole contact.
"""

from __future__ import annotations

import re

import phonenumbers

MAX_TYPED = 40  # characters read of a typed number
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]{2,}")


class ContactError(ValueError):
    """A phone number or e-mail address that cannot be used; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def normalise_phone(typed: str) -> str:
    """The number in E.164, or ContactError("phone_invalid")."""
    text = typed.strip()[:MAX_TYPED]
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, "NO")
    except phonenumbers.NumberParseException as error:
        raise ContactError("phone_invalid") from error
    if not phonenumbers.is_valid_number(number):
        raise ContactError("phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(typed: str) -> str:
    """The address trimmed and lower-cased, or ContactError("email_invalid")."""
    email = typed.strip().lower()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise ContactError("email_invalid")
    return email


def mask_phone(phone: str) -> str:
    """ "+4791234567" as "+47 9••• ••67": the country code, the first and the last two digits."""
    try:
        number = phonenumbers.parse(phone, None)
        country = f"+{number.country_code}"
        national = str(number.national_number)
    except phonenumbers.NumberParseException:
        country, national = "", phone.lstrip("+")
    if len(national) < 4:
        return f"{country} {'•' * len(national)}".strip()
    hidden = "•" * (len(national) - 3)
    shown = national[0] + hidden + national[-2:]
    return f"{country} {shown[:4]} {shown[4:]}".strip()


def mask_email(email: str) -> str:
    """ "kari.nordmann@example.no" as "k•••@example.no"."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else "•••"


def masked_contacts(phone: str | None, email: str | None) -> dict[str, str]:
    """The masks of the contacts given, for audit details."""
    masks = {}
    if phone:
        masks["phone"] = mask_phone(phone)
    if email:
        masks["email"] = mask_email(email)
    return masks
