/* Accessibility for the folium/Leaflet maps on statusmap pages.
 * - Every focusable zone gets an accessible name (its tooltip text: kind, status, title).
 * - Keyboard focus on a zone opens its tooltip, as hovering does.
 * - Leaflet's zoom buttons and layer switch get their names in the page's language (data-* on
 *   .map-frame).
 * Everything the map shows is also in the text list; this makes the map itself usable too.
 */
(function () {
  "use strict";

  function plainText(html) {
    // A line break in the tooltip parts its lines: read them as two phrases, not one word.
    var body = new DOMParser().parseFromString(html, "text/html").body;
    body.querySelectorAll("br").forEach(function (br) { br.replaceWith(". "); });
    return body.textContent.replace(/\s+/g, " ").replace(/\.\s*\./g, ".").trim();
  }

  function nameZones(map) {
    map.eachLayer(function (layer) {
      var tooltip = layer.getTooltip && layer.getTooltip();
      if (!tooltip || !layer.eachLayer) {
        return;
      }
      var name = plainText(tooltip.getContent());
      layer.eachLayer(function (part) {
        var element = part.getElement && part.getElement();
        if (!element) {
          return;
        }
        element.setAttribute("role", "img");
        element.setAttribute("aria-label", name);
        element.addEventListener("focus", function () { layer.openTooltip(part.getCenter()); });
        element.addEventListener("blur", function () { layer.closeTooltip(); });
      });
    });
  }

  function nameControls(frame) {
    [["zoomIn", ".leaflet-control-zoom-in"], ["zoomOut", ".leaflet-control-zoom-out"],
     ["layers", ".leaflet-control-layers-toggle"]].forEach(function (pair) {
      var label = frame.dataset[pair[0]];
      var button = frame.querySelector(pair[1]);
      if (label && button) {
        button.setAttribute("title", label);
        button.setAttribute("aria-label", label);
      }
    });
  }

  // The live-updating page redraws zones and names them again through this.
  window.statusmapNameZones = nameZones;

  document.querySelectorAll(".map-frame").forEach(function (frame) {
    var element = frame.querySelector(".folium-map");
    var map = element && window[element.id];
    if (!map || !map.eachLayer) {
      return;
    }
    nameZones(map);
    nameControls(frame);
  });
})();
