"""Every public view module, imported so that its routes attach to the one blueprint."""

from statusmap.public import affected_views  # noqa: F401
from statusmap.public import archive_views  # noqa: F401
from statusmap.public import embed_views  # noqa: F401
from statusmap.public import incident_views  # noqa: F401
from statusmap.public import manage_views  # noqa: F401
from statusmap.public import report_views  # noqa: F401
from statusmap.public import share_views  # noqa: F401
from statusmap.public import short_link_views  # noqa: F401
from statusmap.public import subscribe_views  # noqa: F401
from statusmap.public import unsubscribe_views  # noqa: F401
from statusmap.public import views  # noqa: F401
from statusmap.public.blueprint import bp

__all__ = ["bp"]
