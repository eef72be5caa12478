"""Public reads prepared once per change: the answer's bytes are kept until the municipality's
public data changes (STUB: being written; today it passes the view's answer through)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from typing import TypeVar

View = TypeVar("View", bound=Callable[..., Any])


def prepared(*, vary_args: tuple[str, ...] = ()) -> Callable[[View], View]:
    """Decorate a public GET view that takes `slug`: its answer depends only on the URL's view
    arguments, the language and the query arguments named in vary_args, and on the
    municipality's public data (incidents, updates, addresses, settings)."""

    def decorate(view: View) -> View:
        return view

    return decorate
