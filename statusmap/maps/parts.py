"""Render a folium map into parts our own templates embed, with self-hosted assets only."""

from __future__ import annotations

import re
from dataclasses import dataclass

import folium
from branca.element import Figure
from markupsafe import Markup
from markupsafe import escape


@dataclass(frozen=True)
class MapAssets:
    """URLs of the self-hosted Leaflet files (static/vendor/)."""

    leaflet_js: str
    leaflet_css: str


@dataclass(frozen=True)
class MapParts:
    """A rendered map in the pieces a page places: styles for <head>, the map element, and the
    scripts for the end of <body> (Leaflet itself, then the map), so the text loads first."""

    styles: Markup
    html: Markup
    script: Markup


class ExternalAssetError(RuntimeError):
    """A map would load something from another host; we never let a page do that."""


# folium's Map header forces a non-zoomable viewport (WCAG 1.4.4) and full-page styles;
# our pages set their own viewport and layout.
_STRIP = (
    re.compile(r"<meta name=\"viewport\".*?/>", re.S),
    re.compile(r"<meta http-equiv=\"content-type\".*?/>", re.S),
    re.compile(r"<style>\s*html, body \{.*?</style>", re.S),
    re.compile(r"<style>\s*#map \{.*?</style>", re.S),
)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
_EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def tooltip_text(text: str) -> str:
    """Escape plain text for a folium tooltip, which lands inside a JS template literal as HTML."""
    html = str(escape(text))
    return html.replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def use_local_assets(m: folium.Map, assets: MapAssets) -> None:
    """Point this map (only this instance, not the class) at our vendored Leaflet."""
    m.default_js = [("leaflet", assets.leaflet_js)]
    m.default_css = [("leaflet_css", assets.leaflet_css)]


def render_parts(m: folium.Map) -> MapParts:
    """Render a map to its styles, html and script parts; refuse any external asset."""
    figure = m.get_root()
    assert isinstance(figure, Figure)
    figure.render()
    header = figure.header.render()
    for pattern in _STRIP:
        header = pattern.sub("", header)
    scripts = "\n".join(match.group(0) for match in _SCRIPT.finditer(header))
    styles = _SCRIPT.sub("", header)
    body_script = figure.script.render().strip()
    parts = MapParts(
        styles=Markup(styles.strip()),  # folium output; builders escape user text
        html=Markup(figure.html.render().strip()),
        # folium's Figure wraps its script in a <script> element itself; we do the same.
        script=Markup(f"{scripts}\n<script>\n{body_script}\n</script>"),
    )
    for name in ("styles", "html", "script"):
        if _EXTERNAL.search(str(getattr(parts, name))):
            raise ExternalAssetError(f"map {name} references an external host")
    return parts
