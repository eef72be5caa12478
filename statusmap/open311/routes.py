"""Every Open311 view module, imported so that its routes attach to the one blueprint."""

from statusmap.open311 import request_views  # noqa: F401
from statusmap.open311 import service_views  # noqa: F401
from statusmap.open311.blueprint import bp

__all__ = ["bp"]
