/* The base layer drawn from our own data: the municipality's streets as light lines with their
 * names, in a pane beneath the tiles. It shows alone when there are no tiles, and wherever a
 * tile fails to load, so the map always reads like a map. Data: data-streets-url on .map-frame.
 */
(function () {
  "use strict";

  var LABELS_FROM_ZOOM = 14;

  function asText(value) {
    // Leaflet puts attributions in as HTML; ours is plain text from an import.
    var span = document.createElement("span");
    span.textContent = value || "";
    return span.innerHTML;
  }

  function leftToRight(latlngs) {
    // Text along a line reads in the line's direction: draw names west to east.
    return latlngs[0].lng > latlngs[latlngs.length - 1].lng ? latlngs.slice().reverse() : latlngs;
  }

  function longestPart(feature) {
    var geometry = feature.geometry;
    var parts = geometry.type === "LineString" ? [geometry.coordinates] : geometry.coordinates;
    var best = null, bestLength = -1;
    parts.forEach(function (part) {
      var length = 0;
      for (var i = 1; i < part.length; i++) {
        length += Math.hypot(part[i][0] - part[i - 1][0], part[i][1] - part[i - 1][1]);
      }
      if (length > bestLength) { best = part; bestLength = length; }
    });
    return best && best.map(function (c) { return L.latLng(c[1], c[0]); });
  }

  function showLabels(map, labels) {
    var on = map.getZoom() >= LABELS_FROM_ZOOM;
    labels.forEach(function (label) {
      label.setText(null);
      if (!on) { return; }
      label.setText(label.streetName, { center: true, offset: 4, attributes: { "class": "street-label" } });
      var node = label._textNode;
      if (node && node.getComputedTextLength() > label._path.getTotalLength()) {
        label.setText(null);  // a name longer than its street would hang off its end
      }
    });
  }

  function drawStreets(map, frame, data) {
    var pane = map.createPane("streets");
    pane.style.zIndex = 150;  // beneath the tiles (200), so tiles cover it where they load
    pane.setAttribute("aria-hidden", "true");  // the names are decoration; the list has the facts
    var renderer = L.svg({ pane: "streets" });
    var width = function () { return Math.max(1.5, map.getZoom() - 11); };
    var lines = L.geoJSON(data, {
      pane: "streets",
      renderer: renderer,
      interactive: false,
      attribution: asText(frame.dataset.streetsAttribution),
      style: function () { return { color: "#b4b4b4", weight: width(), opacity: 1 }; }
    }).addTo(map);
    var labels = [];
    data.features.forEach(function (feature) {
      var name = feature.properties && feature.properties.name;
      var part = name && longestPart(feature);
      if (!part || part.length < 2) { return; }
      var label = L.polyline(leftToRight(part), {
        pane: "streets", renderer: renderer, interactive: false, opacity: 0, weight: 1
      }).addTo(map);
      label.streetName = name;
      labels.push(label);
    });
    map.on("zoomend", function () {
      lines.setStyle({ weight: width() });
      showLabels(map, labels);
    });
    showLabels(map, labels);
    frame.dataset.streetsDrawn = String(data.features.length);
  }

  document.querySelectorAll(".map-frame[data-streets-url]").forEach(function (frame) {
    var element = frame.querySelector(".folium-map");
    var map = element && window[element.id];
    if (!map || !window.fetch) { return; }
    fetch(frame.dataset.streetsUrl, { credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && data.features) { drawStreets(map, frame, data); } })
      .catch(function () { /* no street layer: the zones and the list still tell everything */ });
  });
})();
