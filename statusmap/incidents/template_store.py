"""A municipality's own message texts per kind: read, saved (checked, audited) and reset."""

from __future__ import annotations

from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from statusmap.gis.queries.affected import street_names_in_area
from statusmap.incidents.message_templates import Texts
from statusmap.incidents.message_templates import TextsIn
from statusmap.incidents.message_templates import check_overrides
from statusmap.incidents.message_templates import default_texts
from statusmap.incidents.message_templates import effective_texts
from statusmap.incidents.message_templates import render
from statusmap.incidents.placeholders import PlaceholderValues
from statusmap.models import IncidentKind
from statusmap.models import MessageTemplate
from statusmap.models import Municipality
from statusmap.models.audit import Actor
from statusmap.models.audit import record


def _stored(session: Session, municipality_id: int, kind: IncidentKind) -> MessageTemplate | None:
    return session.scalar(
        select(MessageTemplate).where(
            MessageTemplate.municipality_id == municipality_id, MessageTemplate.kind == kind.value
        )
    )


def texts_for(session: Session, municipality_id: int, kind: IncidentKind) -> Texts:
    """The texts in force for a kind: the municipality's own over the defaults."""
    stored = _stored(session, municipality_id, kind)
    return effective_texts(kind, stored.texts if stored else None)


def customised_kinds(session: Session, municipality_id: int) -> set[IncidentKind]:
    """The kinds whose texts the municipality has changed."""
    kinds = session.scalars(
        select(MessageTemplate.kind).where(MessageTemplate.municipality_id == municipality_id)
    )
    return {IncidentKind(kind) for kind in kinds}


def save_texts(
    session: Session,
    municipality: Municipality,
    kind: IncidentKind,
    texts: TextsIn,
    *,
    actor: Actor,
) -> None:
    """Keep the texts that differ from the defaults (checked first); audited with what changed."""
    check_overrides(texts)
    defaults = default_texts(kind)
    own = {
        field: {
            lang: text for lang, text in by_lang.items() if text.strip() != defaults[field][lang]
        }
        for field, by_lang in texts.items()
    }
    own = {field: by_lang for field, by_lang in own.items() if by_lang}
    stored = _stored(session, municipality.id, kind)
    before = stored.texts if stored else {}
    if stored is None:
        stored = MessageTemplate(municipality_id=municipality.id, kind=kind.value)
        session.add(stored)
    stored.texts, stored.updated_by = own, actor.label
    session.flush()
    changed = sorted(
        f"{field}.{lang}"
        for field in set(own) | set(before)
        for lang in set(own.get(field, {})) | set(before.get(field, {}))
        if own.get(field, {}).get(lang) != before.get(field, {}).get(lang)
    )
    record(
        session,
        actor=actor,
        action="edit_template",
        obj=stored,
        municipality_id=municipality.id,
        kind=kind.value,
        changed=changed,
    )


def filled_texts(
    session: Session,
    municipality: Municipality,
    kind: IncidentKind,
    *,
    area: BaseGeometry | None,
    values: PlaceholderValues,
) -> Texts:
    """The kind's texts with the placeholders filled from the municipality and the incident."""
    streets = street_names_in_area(session, municipality.id, area) if area is not None else []
    full = PlaceholderValues(
        municipality=municipality.name,
        department=municipality.department,
        streets=streets,
        start=values.start,
        expected_end=values.expected_end,
        phone=municipality.contact_phone,
        email=municipality.contact_email,
        link=values.link or municipality.public_url,
        water_point=values.water_point,
    )
    return render(texts_for(session, municipality.id, kind), full)
