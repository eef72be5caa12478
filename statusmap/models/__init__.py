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
from statusmap.models.incident_revision import IncidentRevision
from statusmap.models.message_template import MessageTemplate
from statusmap.models.municipality import Municipality
from statusmap.models.notification import Audience
from statusmap.models.notification import EventKind
from statusmap.models.notification import MessageStatus
from statusmap.models.notification import NotificationContent
from statusmap.models.notification import NotificationEvent
from statusmap.models.notification import OutboxMessage
from statusmap.models.notification import Variant
from statusmap.models.open311_key import Open311Key
from statusmap.models.public_change import PublicChange
from statusmap.models.report import Report
from statusmap.models.report import ReportKind
from statusmap.models.report import ReportStatus
from statusmap.models.street import Street
from statusmap.models.subscriber import Subscriber
from statusmap.models.subscriber import SubscriberSignup
from statusmap.models.subscriber import Subscription
from statusmap.models.user import LoginFailure
from statusmap.models.user import Membership
from statusmap.models.user import Role
from statusmap.models.user import User

__all__ = [
    "PUBLIC_STATUSES",
    "Address",
    "Audience",
    "AuditEvent",
    "Base",
    "EventKind",
    "Incident",
    "IncidentKind",
    "IncidentRevision",
    "IncidentStatus",
    "IncidentUpdate",
    "LoginFailure",
    "Membership",
    "MessageStatus",
    "MessageTemplate",
    "Municipality",
    "NotificationContent",
    "NotificationEvent",
    "Open311Key",
    "OutboxMessage",
    "PublicChange",
    "Report",
    "ReportKind",
    "ReportStatus",
    "Role",
    "Street",
    "Subscriber",
    "SubscriberSignup",
    "Subscription",
    "User",
    "Variant",
    "VulnerableCategory",
]
