"""The social media post: short enough, in the reader's language, times in Europe/Oslo."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from statusmap.incidents.share_text import MAX_LENGTH
from statusmap.incidents.share_text import share_text
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentStatus

NOW = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
URL = "https://status.example.no/demo/hendelse/7"


def _incident(status: IncidentStatus = IncidentStatus.ACTIVE, **texts: str) -> Incident:
    return Incident(
        kind=IncidentKind.BOIL_WATER,
        status=status,
        title={"nb": "Kokepålegg på Lund", "nn": "Kokepåbod på Lund", "en": "Boil water on Lund"}
        | texts,
        starts_at=datetime(2026, 7, 1, 6, 0, tzinfo=UTC),
        expected_end=datetime(2026, 7, 2, 12, 30, tzinfo=UTC),  # 14:30 summer time in Oslo
        resolved_at=None,
    )


def test_bokmal_post_with_kind_title_streets_end_in_oslo_time_and_link() -> None:
    text = share_text(
        _incident(),
        language="nb",
        kind_label="Kokepålegg",
        url=URL,
        now=NOW,
        streets=["Storgata", "Elvegata"],
    )
    assert text == (
        "Kokepålegg på Lund. Forventet ferdig 2. juli 2026 kl. 14:30 CEST. "
        "Gjelder Storgata og Elvegata. " + URL
    )


def test_the_kind_is_named_when_the_title_does_not_start_with_it() -> None:
    incident = _incident(en="Water off in Storgata")
    text = share_text(incident, language="en", kind_label="Boil-water notice", url=URL, now=NOW)
    assert text.startswith("Boil-water notice: Water off in Storgata. Expected to end 2 Jul 2026")
    assert "14:30 CEST" in text and text.endswith(URL)


def test_nynorsk_and_winter_time() -> None:
    incident = _incident(IncidentStatus.SCHEDULED)
    incident.starts_at = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    incident.expected_end = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)
    text = share_text(
        incident, language="nn", kind_label="Kokepåbod", url=URL, now=NOW, streets=["Lundsvegen"]
    )
    assert "Startar 3. des. 2026 kl. 08:00 CET." in text
    assert "Venta ferdig 3. des. 2026 kl. 14:00 CET." in text
    assert "Gjeld Lundsvegen." in text


def test_a_resolved_incident_says_when_it_ended() -> None:
    incident = _incident(IncidentStatus.RESOLVED)
    incident.resolved_at = datetime(2026, 7, 1, 9, 15, tzinfo=UTC)
    text = share_text(incident, language="nb", kind_label="Kokepålegg", url=URL, now=NOW)
    assert "Løst 1. juli 2026 kl. 11:15 CEST." in text and "Forventet" not in text


def test_too_long_drops_the_streets_then_cuts_the_title_never_the_link() -> None:
    streets = [f"{name}gata" for name in ("Stor", "Kirke", "Skole", "Park", "Elve", "Bakke")]
    many = share_text(_incident(), language="nb", kind_label="K", url=URL, now=NOW, streets=streets)
    assert len(many) <= MAX_LENGTH and "Storgata, Kirkegata, Skolegata, Parkgata og 2 andre" in many
    long_title = _incident(nb="Kokepålegg " + "langs elva " * 40)
    text = share_text(long_title, language="nb", kind_label="K", url=URL, now=NOW, streets=streets)
    assert len(text) <= MAX_LENGTH
    assert "Gjelder" not in text and "…" in text
    assert "Forventet ferdig 2. juli 2026 kl. 14:30 CEST." in text and text.endswith(URL)
