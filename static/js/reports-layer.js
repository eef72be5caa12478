/* The staff reports layer: each report as a point coloured AND shaped by its kind, clustered at
 * low zoom (Leaflet.markercluster), with an optional heat layer (Leaflet.heat).
 *
 * - Points come from the section's data-url (the page's filters); styles and words from data-*.
 * - Click a point: its details in a popup (kind, time, text, a link to its page).
 * - Shift-click a point: select it or let it go. The selection IS the list's checkboxes beside
 *   the map, so the actions form sends it, and everything works without the map.
 * - "Select with a rectangle / an outline" (Geoman draws it): the reports inside are ticked.
 * - On the incident editor's map (.reports-overlay), the last day's reports can be shown over the
 *   area being drawn, with the same markers and heat layer: a view only, no selection.
 */
(function () {
  "use strict";

  function svgOf(style, size) {
    return '<svg width="' + size + '" height="' + size + '" viewBox="0 0 20 20" aria-hidden="true" focusable="false">' +
      '<path d="' + style.path + '" fill="' + style.colour + '" fill-rule="evenodd" stroke="#fff" stroke-width="1.5"/></svg>';
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span.innerHTML;
  }

  function checkboxOf(id) { return document.getElementById("report-" + id); }

  function popupOf(p, labels) {
    return "<strong>" + text(p.kind_label) + "</strong> (" + text(p.status_label) + ")<br>" +
      text(p.time_label) + (p.text ? "<br>" + text(p.text) : "") +
      (p.repeats ? "<br>" + text(labels.repeats) + ": " + p.repeats : "") +
      (p.has_contact ? "<br>" + text(labels.contact) : "") +
      '<br><a href="' + text(p.details_url) + '">' + text(labels.details) + "</a>";
  }

  function iconOf(p, styles, selected) {
    return L.divIcon({
      className: "report-point" + (selected ? " report-point--selected" : ""),
      html: svgOf(styles[p.kind], 20),
      iconSize: [20, 20],
      iconAnchor: [10, 10]
    });
  }

  function clusterIcon(labels) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      return L.divIcon({
        html: "<div><span>" + n + '</span><span class="visually-hidden"> ' + text(labels.reports) + "</span></div>",
        className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40)
      });
    };
  }

  function ensureZoomRange(map) {
    // Clustering needs the map's zoom range; with no tile layer (streets only) it has none.
    if (map.getMaxZoom() === Infinity) { map.setMaxZoom(18); }
  }

  /* The points of a GeoJSON answer as clustered markers and a heat layer (not yet on a map). */
  function pointLayers(data, styles, labels, selectedOf) {
    var clusters = L.markerClusterGroup({ iconCreateFunction: clusterIcon(labels), disableClusteringAtZoom: 16 });
    var heat = L.heatLayer([], { radius: 25, blur: 20, minOpacity: 0.35 });
    var markers = {};
    data.features.forEach(function (feature) {
      var p = feature.properties, c = feature.geometry.coordinates;
      var marker = L.marker([c[1], c[0]], {
        icon: iconOf(p, styles, selectedOf(p.id)),
        title: p.kind_label + ", " + p.time_label,
        alt: p.kind_label,
        keyboard: true
      });
      marker.reportId = p.id;
      marker.bindPopup(popupOf(p, labels));
      markers[p.id] = { marker: marker, props: p };
      clusters.addLayer(marker);
      heat.addLatLng([c[1], c[0], 1]);
    });
    return { clusters: clusters, heat: heat, markers: markers, count: data.features.length };
  }

  function heatToggle(toggle, map, heat) {
    if (!toggle) { return; }
    toggle.disabled = false;
    toggle.addEventListener("change", function () {
      if (toggle.checked) { map.addLayer(heat); } else { map.removeLayer(heat); }
    });
  }

  function draw(map, section, data) {
    var styles = JSON.parse(section.dataset.styles);
    var labels = JSON.parse(section.dataset.labels);
    ensureZoomRange(map);
    var layers = pointLayers(data, styles, labels, function (id) {
      var box = checkboxOf(id);
      return box && box.checked;
    });
    Object.keys(layers.markers).forEach(function (id) {
      var marker = layers.markers[id].marker;
      marker.on("click", function (event) {
        var box = checkboxOf(id);
        if (event.originalEvent && event.originalEvent.shiftKey && box) {
          marker.closePopup();
          box.checked = !box.checked;
          box.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
    });
    map.addLayer(layers.clusters);
    section.dataset.points = String(layers.count);
    var status = section.querySelector(".reports-map__status");
    if (status) { status.textContent = layers.count + " " + labels.shown; }
    document.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches || !box.matches('input[name="report_ids"]')) { return; }
      var found = layers.markers[box.value];
      var row = box.closest("tr");
      if (row) { row.classList.toggle("report-row--selected", box.checked); }
      if (found) { found.marker.setIcon(iconOf(found.props, styles, box.checked)); }
    });
    heatToggle(section.querySelector(".reports-map__heat"), map, layers.heat);
    selectByArea(map, section, layers, labels);
  }

  /* Is the point inside the ring (ray casting; the outlines drawn here are small and plain)? */
  function inside(latlng, ring) {
    var x = latlng.lng, y = latlng.lat, found = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i].lng, yi = ring[i].lat, xj = ring[j].lng, yj = ring[j].lat;
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) { found = !found; }
    }
    return found;
  }

  function selectByArea(map, section, layers, labels) {
    var tools = section.querySelector(".reports-map__select");
    if (!tools || !map.pm) { return; }
    tools.hidden = false;
    map.pm.setGlobalOptions({ tooltips: false, pathOptions: { color: "#0b0c0c", dashArray: "6 4", fillOpacity: 0.05 } });
    tools.querySelectorAll("button[data-shape]").forEach(function (button) {
      button.addEventListener("click", function () { map.pm.enableDraw(button.dataset.shape); });
    });
    map.on("pm:create", function (event) {
      var ring = event.layer.getLatLngs()[0], picked = 0;
      Object.keys(layers.markers).forEach(function (id) {
        var box = checkboxOf(id);
        if (box && !box.checked && inside(layers.markers[id].marker.getLatLng(), ring)) {
          box.checked = true;
          box.dispatchEvent(new Event("change", { bubbles: true }));
          picked += 1;
        }
      });
      map.removeLayer(event.layer);
      var status = section.querySelector(".reports-map__status");
      if (status) { status.textContent = picked + " " + labels.picked; }
      section.dataset.picked = String(picked);
    });
  }

  function fetchPoints(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : null; });
  }

  /* The editor map's overlay: fetched the first time it is switched on, then shown or hidden. */
  function overlay(section) {
    var editor = section.closest(".area-editor");
    var element = editor && editor.querySelector(".folium-map");
    var map = element && window[element.id];
    var toggle = section.querySelector(".reports-overlay__toggle");
    var status = section.querySelector(".reports-overlay__status");
    if (!map || !toggle || !window.fetch || !L.markerClusterGroup) { section.hidden = true; return; }
    var labels = JSON.parse(section.dataset.labels), layers = null;
    toggle.addEventListener("change", function () {
      if (layers) {
        if (toggle.checked) { map.addLayer(layers.clusters); } else { map.removeLayer(layers.clusters); }
        return;
      }
      fetchPoints(section.dataset.url).then(function (data) {
        if (!data || !data.features) { throw new Error("no reports"); }
        ensureZoomRange(map);
        layers = pointLayers(data, JSON.parse(section.dataset.styles), labels, function () { return false; });
        if (toggle.checked) { map.addLayer(layers.clusters); }
        section.dataset.points = String(layers.count);
        status.textContent = layers.count + " " + labels.shown;
        heatToggle(section.querySelector(".reports-overlay__heat"), map, layers.heat);
      }).catch(function () { status.textContent = labels.failed; });
    });
  }

  document.querySelectorAll(".reports-map[data-url]").forEach(function (section) {
    var element = section.querySelector(".folium-map");
    var map = element && window[element.id];
    if (!map || !window.fetch || !L.markerClusterGroup) { return; }
    fetchPoints(section.dataset.url)
      .then(function (data) { if (data && data.features) { draw(map, section, data); } })
      .catch(function (error) { section.dataset.failed = String(error);  /* the list still holds every report */ });
  });
  document.querySelectorAll(".reports-overlay[data-url]").forEach(overlay);
})();
