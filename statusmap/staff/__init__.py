"""Staff pages: the dashboard, the map editor, the incident lifecycle and administration.

Importing the package attaches every view module's routes to the one blueprint.
"""

from statusmap.staff import admin_views  # noqa: F401
from statusmap.staff import affected_views  # noqa: F401
from statusmap.staff import area_views  # noqa: F401
from statusmap.staff import incident_views  # noqa: F401
from statusmap.staff import lifecycle_views  # noqa: F401
from statusmap.staff import notification_views  # noqa: F401
from statusmap.staff import open311_key_views  # noqa: F401
from statusmap.staff import report_action_views  # noqa: F401
from statusmap.staff import report_views  # noqa: F401
from statusmap.staff import subscriber_views  # noqa: F401
from statusmap.staff import template_views  # noqa: F401
from statusmap.staff import user_views  # noqa: F401
from statusmap.staff import views  # noqa: F401
from statusmap.staff.blueprint import bp

__all__ = ["bp"]
