"""Crowd reports for staff: the page with its map and list, the exact points as GeoJSON, and
one report's details (contact included). Viewers read; every answer is no-store (blueprint).
"""

from __future__ import annotations

from datetime import datetime

from flask import abort
from flask import jsonify
from flask import render_template
from flask import request
from flask import url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from statusmap import db
from statusmap.auth.access import membership_in
from statusmap.i18n import format_time
from statusmap.maps.editor_map import EditorAssets
from statusmap.maps.editor_map import EditorMap
from statusmap.maps.report_map import build_report_map
from statusmap.models import Incident
from statusmap.models import IncidentStatus
from statusmap.models import Municipality
from statusmap.models import Report
from statusmap.models import Role
from statusmap.models.base import utcnow
from statusmap.reports.staff_reads import STAFF_LIST_LIMIT
from statusmap.reports.staff_reads import WINDOWS
from statusmap.reports.staff_reads import parse_kinds
from statusmap.reports.staff_reads import parse_statuses
from statusmap.reports.staff_reads import staff_feature
from statusmap.reports.staff_reads import staff_reports
from statusmap.reports.staff_reads import window_start
from statusmap.staff.blueprint import bp
from statusmap.staff.report_labels import MARKER_STYLES
from statusmap.staff.report_labels import REPORT_KIND_LABELS
from statusmap.staff.report_labels import REPORT_STATUS_LABELS
from statusmap.staff.report_labels import marker_styles_json
from statusmap.web_maps import base_map_for
from statusmap.web_maps import geoman_assets
from statusmap.web_maps import reference_zones
from statusmap.web_maps import report_layer_assets


def report_in(municipality: Municipality, report_id: int) -> Report:
    """The municipality's report with this id; 404 for another municipality's, as for none."""
    report = db.session().get(Report, report_id)
    if report is None or report.municipality_id != municipality.id:
        abort(404)
    return report


def _since(value: str | None, now: datetime) -> datetime:
    """`since`: a window name (6h, 24h, 7d) or an ISO 8601 time with its offset."""
    if value and value not in WINDOWS:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            abort(400)
        if parsed.tzinfo is None:
            abort(400)
        return parsed
    return window_start(value, now)


def _filters() -> dict[str, str]:
    """The page's filters as the GeoJSON and the actions take them back."""
    kinds = request.args.getlist("kind") or request.args.get("kinds", "").split(",")
    statuses = request.args.getlist("status") or request.args.get("statuses", "").split(",")
    window = request.args.get("window") or request.args.get("since") or "24h"
    return {
        "since": window if window in WINDOWS else "24h",
        "kinds": ",".join(kind.value for kind in parse_kinds(",".join(kinds))),
        "statuses": ",".join(status.value for status in parse_statuses(",".join(statuses))),
    }


# The editor map's reports overlay (templates/staff/_area_editor.html) shows the same markers.
bp.add_app_template_global(marker_styles_json, "report_marker_styles")


@bp.get("/<slug>/reports.geojson")
def reports_geojson(slug: str) -> Response:
    """Exact report points of the chosen window, kinds and statuses (staff only)."""
    _user, municipality = membership_in(slug, Role.VIEWER)
    reports = staff_reports(
        db.session(),
        municipality.id,
        since=_since(request.args.get("since"), utcnow()),
        kinds=parse_kinds(request.args.get("kinds")),
        statuses=parse_statuses(request.args.get("statuses")),
    )
    features = [
        staff_feature(
            report,
            kind_label=str(REPORT_KIND_LABELS[report.kind]),
            status_label=str(REPORT_STATUS_LABELS[report.status]),
            time_label=format_time(report.created_at),
            details_url=url_for("staff.report_details", slug=slug, report_id=report.id),
        )
        for report in reports
    ]
    return jsonify({"type": "FeatureCollection", "features": features})


def open_incidents(municipality: Municipality) -> list[Incident]:
    """Incidents reports may be linked to: every one not resolved, newest first."""
    query = select(Incident).where(
        Incident.municipality_id == municipality.id,
        Incident.status != IncidentStatus.RESOLVED,
    )
    return list(
        db.session().scalars(query.order_by(Incident.created_at.desc(), Incident.id.desc()))
    )


def _report_map(municipality: Municipality, incidents: list[Incident]) -> EditorMap:
    shown = [incident for incident in incidents if incident.status is not IncidentStatus.DRAFT]
    return build_report_map(
        municipality.boundary,
        reference_zones(shown),
        base_map_for(municipality),
        report_layer_assets(),
        EditorAssets(*geoman_assets()),
    )


@bp.get("/<slug>/reports")
def reports_page(slug: str) -> str:
    """The reports of a time window on a map and in a list, with the actions on a selection."""
    _user, municipality = membership_in(slug, Role.VIEWER)
    filters = _filters()
    reports = staff_reports(
        db.session(),
        municipality.id,
        since=window_start(filters["since"], utcnow()),
        kinds=parse_kinds(filters["kinds"]),
        statuses=parse_statuses(filters["statuses"]),
    )
    incidents = open_incidents(municipality)
    return render_template(
        "staff/reports.html",
        municipality=municipality,
        reports=reports,
        incidents=incidents,
        filters=filters,
        windows=list(WINDOWS),
        report_map=_report_map(municipality, incidents),
        geojson_url=url_for(
            "staff.reports_geojson",
            slug=slug,
            since=filters["since"],
            kinds=filters["kinds"],
            statuses=filters["statuses"],
        ),
        marker_styles=MARKER_STYLES,
        marker_styles_json=marker_styles_json(),
        report_kind_labels=REPORT_KIND_LABELS,
        report_status_labels=REPORT_STATUS_LABELS,
        list_limit=STAFF_LIST_LIMIT,
    )


@bp.get("/<slug>/reports/<int:report_id>")
def report_details(slug: str, report_id: int) -> str:
    """One report: what, where, when, its text, repeats and the reporter's contact."""
    _user, municipality = membership_in(slug, Role.VIEWER)
    report = report_in(municipality, report_id)
    linked = db.session().get(Incident, report.incident_id) if report.incident_id else None
    return render_template(
        "staff/report.html",
        municipality=municipality,
        report=report,
        linked=linked,
        incidents=open_incidents(municipality),
        marker_styles=MARKER_STYLES,
        report_kind_labels=REPORT_KIND_LABELS,
        report_status_labels=REPORT_STATUS_LABELS,
        filters=_filters(),
    )
