"""Every api view module, imported so that its routes attach to the one blueprint."""

from statusmap.api import affected_views  # noqa: F401
from statusmap.api import cap_views  # noqa: F401
from statusmap.api import feed_views  # noqa: F401
from statusmap.api import openapi_views  # noqa: F401
from statusmap.api import receipt_views  # noqa: F401
from statusmap.api import report_intake_views  # noqa: F401
from statusmap.api import report_views  # noqa: F401
from statusmap.api import views  # noqa: F401
from statusmap.api.blueprint import bp

__all__ = ["bp"]
