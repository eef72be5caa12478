"""The fixed words of notification messages, per language (bokmål, nynorsk, English).

Messages are composed by the worker, outside any request, in the subscriber's language, so
their words are data here rather than gettext msgids. SMS words are GSM 03.38 only (æ, ø, å
are; en dashes and curly quotes are not): a test keeps it so.
"""

from __future__ import annotations

from statusmap.models import Variant

# The line before the title, per variant ("" for a first warning: the title says it all).
LEAD = {
    "nb": {
        Variant.NEW: "",
        Variant.UPDATE: "Oppdatert: ",
        Variant.NO_LONGER: "Ikke lenger berørt: ",
        Variant.RESOLVED: "Avsluttet: ",
        Variant.TEST: "TEST: ",
    },
    "nn": {
        Variant.NEW: "",
        Variant.UPDATE: "Oppdatert: ",
        Variant.NO_LONGER: "Ikkje lenger råka: ",
        Variant.RESOLVED: "Avslutta: ",
        Variant.TEST: "TEST: ",
    },
    "en": {
        Variant.NEW: "",
        Variant.UPDATE: "Update: ",
        Variant.NO_LONGER: "No longer affected: ",
        Variant.RESOLVED: "Resolved: ",
        Variant.TEST: "TEST: ",
    },
}

WORDS = {
    "nb": {
        "no_longer": "Adressen din er ikke lenger innenfor området.",
        "resolved": "Hendelsen er avsluttet.",
        "expected_end": "Ventet ferdig: {time}.",
        "more": "Les mer: {link}",
        "sms_stop": "Avmeld: {link}",
        "from": "Melding fra {sender}.",
        "call": "Har du spørsmål, ring {phone}.",
        "again": "Meldingen gjentas.",
        "voice_stop": "Vil du ikke lenger få slike anrop, ring {phone}.",
        "regards": "Hilsen",
        "why": "Du får denne e-posten fordi du har meldt deg på varsler for en adresse i området.",
        "stop": "Meld deg av varslene:",
        "test": "Dette er en test sendt av en ansatt. Ingen innbyggere har fått den.",
    },
    "nn": {
        "no_longer": "Adressa di er ikkje lenger innanfor området.",
        "resolved": "Hendinga er avslutta.",
        "expected_end": "Venta ferdig: {time}.",
        "more": "Les meir: {link}",
        "sms_stop": "Meld av: {link}",
        "from": "Melding frå {sender}.",
        "call": "Har du spørsmål, ring {phone}.",
        "again": "Meldinga blir gjenteken.",
        "voice_stop": "Vil du ikkje lenger få slike anrop, ring {phone}.",
        "regards": "Helsing",
        "why": "Du får denne e-posten fordi du har meldt deg på varsel for ei adresse i området.",
        "stop": "Meld deg av varsla:",
        "test": "Dette er ein test sendt av ein tilsett. Ingen innbyggjarar har fått han.",
    },
    "en": {
        "no_longer": "Your address is no longer inside the area.",
        "resolved": "The incident is over.",
        "expected_end": "Expected end: {time}.",
        "more": "More: {link}",
        "sms_stop": "Stop: {link}",
        "from": "A message from {sender}.",
        "call": "For questions, call {phone}.",
        "again": "The message is repeated.",
        "voice_stop": "To stop these calls, call {phone}.",
        "regards": "Regards",
        "why": "You receive this e-mail because you signed up for alerts for an address "
        "in the area.",
        "stop": "Unsubscribe:",
        "test": "This is a test sent by a member of staff. No resident has received it.",
    },
}


def lead(language: str, variant: Variant) -> str:
    """The words before the title for a variant."""
    return LEAD.get(language, LEAD["nb"]).get(variant, "")


def word(language: str, name: str, **values: str) -> str:
    """One fixed phrase in a language (bokmål when unknown), with its values filled in."""
    text = WORDS.get(language, WORDS["nb"])[name]
    return text.format(**values) if values else text
