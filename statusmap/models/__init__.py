"""Typed SQLAlchemy 2 models, one module per aggregate."""

from statusmap.models.address import Address
from statusmap.models.address import VulnerableCategory
from statusmap.models.audit import AuditEvent
from statusmap.models.base import Base
from statusmap.models.incident import PUBLIC_STATUSES
from statusmap.models.incident import Incident
from statusmap.models.incident import IncidentKind
from statusmap.models.incident import IncidentStatus
from statusmap.models.incident import IncidentUpdate
from statusmap.models.municipality import Municipality
from statusmap.models.street import Street

__all__ = [
    "PUBLIC_STATUSES",
    "Address",
    "AuditEvent",
    "Base",
    "Incident",
    "IncidentKind",
    "IncidentStatus",
    "IncidentUpdate",
    "Municipality",
    "Street",
    "VulnerableCategory",
]
