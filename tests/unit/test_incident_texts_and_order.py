"""Domain rules behind the incident pages: severity order, text fallback, archive arguments."""

from __future__ import annotations

from datetime import date

from statusmap.incidents.archive import ArchiveQuery
from statusmap.incidents.archive import parse_archive_args
from statusmap.kinds import SEVERITY_ORDER
from statusmap.kinds import severity_rank
from statusmap.models import Incident
from statusmap.models import IncidentKind
from statusmap.models import IncidentUpdate
from statusmap.norwegian import search_form


def test_every_kind_has_one_place_in_the_severity_order() -> None:
    assert sorted(SEVERITY_ORDER) == sorted(IncidentKind)
    assert len(set(SEVERITY_ORDER)) == len(SEVERITY_ORDER)
    assert severity_rank(IncidentKind.BOIL_WATER) == 0


def test_the_text_language_says_where_a_text_came_from() -> None:
    incident = Incident(title={"nb": "Tittel", "en": "Title"}, summary={"nn": "Berre nynorsk"})
    assert incident.text_language("title", "en") == "en"
    assert incident.text_language("title", "nn") == "nb", "bokmål first"
    assert incident.text_language("summary", "en") == "nn", "then any language"
    assert incident.text_language("cause", "en") is None, "no text: no language"
    assert incident.fallback_language("en") == "nn"
    assert incident.fallback_language("nb") == "nn"


def test_an_update_in_bokmal_only_is_a_fallback() -> None:
    incident = Incident(title={"nb": "T", "en": "T"})
    assert incident.fallback_language("en") is None
    incident.updates.append(IncidentUpdate(body={"nb": "Bare bokmål", "en": ""}))
    assert incident.fallback_language("en") == "nb"


def test_search_form_sets_case_accents_and_norwegian_letters_aside() -> None:
    forms = {search_form(name) for name in ("Østre Åsveg", "ØSTRE  ÅSVEG", "oestre aasveg")}
    assert forms == {"oestre aasveg"}
    assert search_form("Ærlig gate") == search_form("aerlig GATE")
    assert search_form("Café") == "cafe"
    assert search_form("A\u030asveg") == search_form("Åsveg"), "decomposed input too"


def test_archive_arguments_are_read_and_wrong_ones_named() -> None:
    query, errors = parse_archive_args({"gate": " Storgata ", "fra": "2025-01-02", "side": "3"})
    assert query == ArchiveQuery("Storgata", date(2025, 1, 2), None, 3) and errors == []
    query, errors = parse_archive_args({"fra": "2.1.2025", "til": "2025-01-01", "side": "-1"})
    assert query == ArchiveQuery(date_to=date(2025, 1, 1)) and errors == ["fra"]
    query, errors = parse_archive_args({"fra": "2025-02-01", "til": "2025-01-01", "gate": "x"})
    assert query == ArchiveQuery(date_from=date(2025, 2, 1)) and errors == ["gate", "til"]
    assert parse_archive_args({"side": "٣"})[0].page == 1, "only ASCII digits"
