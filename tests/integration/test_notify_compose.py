"""Message texts: short GSM 03.38 SMS naming the sender with the short link, escaped e-mail HTML
with the unsubscribe placeholder in both parts, a voice script without links; from an incident."""

from __future__ import annotations

from datetime import timedelta

import pytest
from shapely.geometry import MultiPolygon
from shapely.geometry import box
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.incidents.message_templates import default_texts
from statusmap.incidents.message_templates import render
from statusmap.incidents.placeholders import PlaceholderValues
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus
from statusmap.models import NotificationContent
from statusmap.models import Variant
from statusmap.models.base import utcnow
from statusmap.notify.compose import facts_of
from statusmap.notify.compose import sms_of
from statusmap.notify.compose_email import MessageFacts
from statusmap.notify.compose_email import email_html
from statusmap.notify.compose_email import email_text
from statusmap.notify.compose_email import voice_script
from statusmap.notify.compose_sms import SmsFacts
from statusmap.notify.compose_sms import compose_sms
from statusmap.notify.compose_sms import gsm_only
from statusmap.notify.compose_sms import sms_size
from statusmap.notify.expand import expand_pending
from statusmap.notify.links import UNSUBSCRIBE
from statusmap.notify.links import UNSUBSCRIBE_SHORT
from tests.factories import make_incident
from tests.factories import make_municipality

LINK = "https://vann.example.no/h/123"
SENDER = "Vann og avløp, Gran kommune"


def _facts(**changes: str) -> MessageFacts:
    values = {
        "sender": SENDER,
        "title": "Kokepåbud i Brandbu sentrum",
        "summary": "Vannet kan være forurenset. Kok vannet før du drikker det.",
        "advice": "Kok vannet i minst ett minutt.",
        "closing": "",
        "expected_end": "3. des. 2026 kl. 18:00 CET",
        "link": LINK,
        "phone": "61 33 84 00",
        "email": "vann@gran.kommune.no",
    }
    values.update(changes)
    return MessageFacts(**values)


def _sms(facts: MessageFacts, variant: Variant = Variant.NEW, language: str = "nb") -> str:
    return sms_of(facts, variant, language)


def test_a_typical_norwegian_warning_is_two_gsm_segments_naming_sender_link_and_stop() -> None:
    """Sender, title, link and the subscriber's own way to stop (every message must end a
    subscription in one step): two GSM segments, counted with a typical unsubscribe link."""
    text = _sms(_facts())
    size = sms_size(text)
    assert size.encoding == "GSM 03.38" and size.segments == 2, (text, size)
    assert text.startswith(SENDER + ": Kokepåbud i Brandbu sentrum.")
    assert text.endswith(f"Les mer: {LINK} Avmeld: {UNSUBSCRIBE_SHORT}")
    assert "æ" in "".join(_sms(_facts(title="Vær obs: lekkasje ved Ørnevegen å")))


def test_dashes_and_curly_quotes_never_force_ucs2() -> None:
    facts = _facts(title="Stengt vann – «Storgata» 1–7", summary="Vi jobber “nå” … ’snart’ ferdig")
    text = _sms(facts)
    assert sms_size(text).encoding == "GSM 03.38", text
    assert 'Stengt vann - "Storgata" 1-7' in text
    assert gsm_only("Tørr 🚰 kran") == "Tørr kran"
    assert sms_size("Stengt – nå").encoding == "UCS-2"  # what the replacement saves


def test_optional_text_never_adds_a_segment() -> None:
    long_summary = "Kok vannet før bruk. " * 20  # far more than one segment
    text = _sms(_facts(summary=long_summary))
    assert "Kok vannet før bruk" not in text
    assert "Ventet ferdig: 3. des. 2026 kl. 18:00 CET." in text
    assert sms_size(text).segments == 2
    lean = compose_sms(
        SmsFacts(SENDER, "x" * 200, long_summary, "", LINK), Variant.NEW, "nb"
    )  # a title too long for two segments: three, but no summary
    assert sms_size(lean).segments == 3 and "Kok" not in lean


@pytest.mark.parametrize(
    ("variant", "language", "words"),
    [
        (Variant.UPDATE, "nb", "Oppdatert: "),
        (Variant.NO_LONGER, "nb", "Ikke lenger berørt: "),
        (Variant.RESOLVED, "nn", "Avslutta: "),
        (Variant.NO_LONGER, "en", "No longer affected: "),
    ],
)
def test_each_variant_says_what_it_is(variant: Variant, language: str, words: str) -> None:
    text = _sms(_facts(), variant, language)
    assert words in text and f"{LINK} " in text and text.endswith(UNSUBSCRIBE_SHORT)
    assert sms_size(text).segments <= 2


def test_the_email_escapes_typed_text_and_carries_department_link_and_unsubscribe() -> None:
    facts = _facts(title="<script>alert(1)</script> & co", advice='Se "vedlegg" <b>nå</b>')
    html = email_html(facts, Variant.NEW, "nb")
    text = email_text(facts, Variant.NEW, "nb")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<b>" not in html and "&lt;b&gt;nå&lt;/b&gt;" in html
    for part in (html, text):
        assert SENDER in part and LINK in part and UNSUBSCRIBE in part
    assert f'href="{UNSUBSCRIBE}"' in html and f'href="{LINK}"' in html
    assert "<script>alert(1)</script> & co" in text  # plain text stays as typed


def test_a_typed_placeholder_cannot_become_a_link() -> None:
    text = email_text(_facts(summary=f"Se {UNSUBSCRIBE}"), Variant.NEW, "nb")
    assert text.count(UNSUBSCRIBE) == 1  # only the footer's


def test_the_voice_script_reads_no_links_and_says_whom_to_call() -> None:
    script = voice_script(
        _facts(summary="Les mer på https://gran.kommune.no/vann nå."), Variant.NEW, "nb"
    )
    assert "http" not in script and "/h/" not in script
    assert script.startswith(f"Melding fra {SENDER}.")
    assert "ring 61 33 84 00" in script and script.count("Kokepåbud i Brandbu sentrum") == 2
    assert script.endswith("Vil du ikke lenger få slike anrop, ring 61 33 84 00.")  # how to stop


def test_the_template_texts_of_every_kind_make_a_gsm_sms() -> None:
    for kind in IncidentKind:
        values = PlaceholderValues(
            municipality={"nb": "Gran kommune"},
            department={"nb": "Vann og avløp"},
            streets=["Storgata", "Kirkevegen"],
            start=utcnow(),
            expected_end=utcnow() + timedelta(hours=6),
            phone="61 33 84 00",
        )
        texts = render(default_texts(kind), values)
        for language in ("nb", "nn", "en"):
            facts = _facts(title=texts["title"][language], summary=texts["summary"][language])
            text = _sms(facts, Variant.NEW, language)
            assert sms_size(text).encoding == "GSM 03.38", (kind, language, text)
            assert sms_size(text).segments <= 2, (kind, language, text)


def test_an_event_is_composed_per_variant_language_and_channel(session: Session) -> None:
    town = make_municipality(session, slug="tekstby", kommunenummer="4298")
    incident = make_incident(
        session, town, MultiPolygon([box(8.06, 58.13, 8.08, 58.15)]), title="Vannet er stengt"
    )
    expand_pending(session, limit=10, base_url="https://vann.example.no/")
    rows = session.scalars(
        select(NotificationContent).where(NotificationContent.channel == "sms")
    ).all()
    mine = [row for row in rows if f"/h/{incident.id}" in row.body]
    assert {(row.variant, row.language) for row in mine} == {
        (Variant.NEW, "nb"),
        (Variant.NEW, "nn"),
        (Variant.NEW, "en"),
    }
    nb = next(row for row in mine if row.language == "nb")
    assert (
        nb.body == "Vann og avløp, Tekstby: Vannet er stengt. Les mer:"
        f" https://vann.example.no/h/{incident.id} Avmeld: {UNSUBSCRIBE_SHORT}"
    )
    facts = facts_of(incident, "en", "https://vann.example.no")
    assert facts.sender == "Vann og avløp, Tekstby"  # bokmål where English is missing


def test_the_short_link_leads_to_the_incident_page(app, client, session: Session) -> None:
    town = make_municipality(session, slug="lenkeby", kommunenummer="4297")
    incident = make_incident(session, town, MultiPolygon([box(8.06, 58.13, 8.08, 58.15)]))
    draft = make_incident(session, town, incident.area, status=IncidentStatus.DRAFT)
    session.commit()
    answer = client.get(f"/h/{incident.id}")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/lenkeby/hendelse/{incident.id}")
    assert client.get(answer.headers["Location"]).status_code == 200
    assert client.get(f"/h/{draft.id}").status_code == 404
    assert client.get("/h/999999").status_code == 404
