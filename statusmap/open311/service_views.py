"""Open311 discovery, the service list (one service per report kind) and service definitions."""

from __future__ import annotations

from flask import Response
from flask import current_app

from statusmap.models import ReportKind
from statusmap.open311.blueprint import GROUP_SEWER
from statusmap.open311.blueprint import GROUP_WATER
from statusmap.open311.blueprint import SERVICE_DESCRIPTIONS
from statusmap.open311.blueprint import SERVICE_KEYWORDS
from statusmap.open311.blueprint import SERVICE_NAMES
from statusmap.open311.blueprint import answer
from statusmap.open311.blueprint import bp
from statusmap.open311.blueprint import jurisdiction
from statusmap.open311.formats import Open311Error
from statusmap.web import external_url

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-03T00:00:00+01:00"  # when this endpoint's behaviour last changed


@bp.get("/")
def endpoint() -> Response:
    """The endpoint's own address (discovery names it): its discovery document, in JSON."""
    return discovery("json")


@bp.get("/discovery.<fmt>")
def discovery(fmt: str) -> Response:
    """Where the endpoint is, which formats it speaks, and how to get an api_key."""
    url = external_url("open311.discovery", fmt="json").rsplit("/", 1)[0] + "/"
    document = {
        "changeset": CHANGESET,
        "contact": current_app.config["OPEN311_CONTACT"] or _municipality_contact(),
        "key_service": "Ask the municipality's water department (an admin makes keys).",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return answer("discovery", document, fmt)


def _municipality_contact() -> str | None:
    """The contact line of the municipality asked for (or the only one served), if it has one."""
    try:
        municipality = jurisdiction()
    except Open311Error:
        return None
    parts = [municipality.contact_phone, municipality.contact_email, municipality.contact_url]
    return ", ".join(part for part in parts if part) or None


@bp.get("/services.<fmt>")
def services(fmt: str) -> Response:
    """One service per report kind, named in the request's language."""
    jurisdiction()
    items = [
        {
            "service_code": kind.value,
            "service_name": str(SERVICE_NAMES[kind]),
            "description": str(SERVICE_DESCRIPTIONS[kind]),
            "metadata": False,
            "type": "realtime",
            "keywords": str(SERVICE_KEYWORDS[kind]),
            "group": str(GROUP_SEWER if kind is ReportKind.SEWER else GROUP_WATER),
        }
        for kind in ReportKind
    ]
    return answer("services", items, fmt)


@bp.get("/services/<code>.<fmt>")
def service_definition(code: str, fmt: str) -> Response:
    """A service's definition: none of ours asks for extra attributes."""
    jurisdiction()
    if code not in {kind.value for kind in ReportKind}:
        raise Open311Error(404, f"service_code {code!r} was not found.")
    return answer("service_definition", {"service_code": code, "attributes": []}, fmt)
