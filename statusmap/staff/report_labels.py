"""Report kinds and statuses in words, and each kind's marker (colour AND shape), for staff.

The marker shapes are drawn as SVG paths on a 20x20 grid, the same in the map and the legend.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from statusmap.models import ReportKind
from statusmap.models import ReportStatus

REPORT_KIND_LABELS = {
    ReportKind.NO_WATER: _l("Ingen vann"),
    ReportKind.LOW_PRESSURE: _l("Lavt trykk"),
    ReportKind.DISCOLOURED_WATER: _l("Misfarget vann"),
    ReportKind.LEAK_SEEN: _l("Vann i gata eller lekkasje"),
    ReportKind.SEWER: _l("Avløpsproblem eller lukt"),
    ReportKind.WATER_OK: _l("Vannet mitt er i orden"),
}

REPORT_STATUS_LABELS = {
    ReportStatus.NEW: _l("Ny"),
    ReportStatus.LINKED: _l("Knyttet til hendelse"),
    ReportStatus.HIDDEN: _l("Skjult"),
    ReportStatus.SPAM: _l("Spam"),
}


@dataclass(frozen=True)
class MarkerStyle:
    """A kind's marker: a colour with at least 3:1 contrast to the map, and its own shape."""

    colour: str
    shape: str  # the shape's name, for tests and the legend's class
    path: str  # SVG path data on a 20x20 grid


MARKER_STYLES = {
    ReportKind.NO_WATER: MarkerStyle("#b00020", "circle", "M10 2a8 8 0 1 0 0.01 0Z"),
    ReportKind.LOW_PRESSURE: MarkerStyle("#b34700", "triangle", "M10 1 19 18H1Z"),
    ReportKind.DISCOLOURED_WATER: MarkerStyle("#6d4c2f", "square", "M3 3h14v14H3Z"),
    ReportKind.LEAK_SEEN: MarkerStyle("#0050b3", "diamond", "M10 1 19 10 10 19 1 10Z"),
    ReportKind.SEWER: MarkerStyle("#6a1b9a", "cross", "M7 1h6v6h6v6h-6v6H7v-6H1V7h6Z"),
    ReportKind.WATER_OK: MarkerStyle(
        "#1b6e35", "ring", "M10 1a9 9 0 1 0 .01 0ZM10 6a4 4 0 1 1-.01 0Z"
    ),
}


def marker_styles_json() -> dict[str, dict[str, str]]:
    """The markers with their kinds in the page's language, for the map script."""
    return {
        kind.value: {
            "colour": style.colour,
            "shape": style.shape,
            "path": style.path,
            "label": str(REPORT_KIND_LABELS[kind]),
        }
        for kind, style in MARKER_STYLES.items()
    }
