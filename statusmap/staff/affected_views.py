"""The addresses inside an incident's area, as a file for customer service (CSV for Excel)."""

from __future__ import annotations

from flask import Response

from statusmap import db
from statusmap.auth.access import membership_in
from statusmap.auth.accounts import actor_of
from statusmap.gis.queries.addresses import addresses_in_area
from statusmap.i18n import current_language
from statusmap.incidents.affected import affected_csv
from statusmap.models import Role
from statusmap.models.audit import record
from statusmap.staff.blueprint import bp
from statusmap.staff.incident_views import incident_in


@bp.get("/<slug>/incidents/<int:incident_id>/addresses.csv")
def affected_addresses_csv(slug: str, incident_id: int) -> Response:
    """Every current address in the area, with dwellings and vulnerable subscribers.

    The file names vulnerable subscribers (a dialysis patient's home, say): editors only, and
    every export is in the audit log.
    """
    user, municipality = membership_in(slug, Role.EDITOR)
    incident = incident_in(municipality, incident_id)
    addresses = (
        addresses_in_area(db.session(), municipality.id, incident.area) if incident.area else []
    )
    record(
        db.session(),
        actor=actor_of(user),
        action="export_addresses",
        obj=incident,
        municipality_id=municipality.id,
        addresses=len(addresses),
    )
    db.session().commit()
    body = affected_csv(addresses, current_language())
    filename = f"{municipality.slug}-hendelse-{incident.id}-adresser.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )
