/* The staff reports layer: each report as a point coloured AND shaped by its kind, clustered at
 * low zoom (Leaflet.markercluster), with an optional heat layer (Leaflet.heat).
 *
 * - Points come from the section's data-url (the page's filters); styles and words from data-*.
 * - Click a point: its details in a popup (kind, time, text, a link to its page).
 * - Shift-click a point: select it or let it go. The selection IS the list's checkboxes beside
 *   the map, so the actions form sends it, and everything works without the map.
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

  function draw(map, section, data) {
    var styles = JSON.parse(section.dataset.styles);
    var labels = JSON.parse(section.dataset.labels);
    // Clustering needs the map's zoom range; with no tile layer (streets only) it has none.
    if (map.getMaxZoom() === Infinity) { map.setMaxZoom(18); }
    var clusters = L.markerClusterGroup({ iconCreateFunction: clusterIcon(labels), disableClusteringAtZoom: 16 });
    var heat = L.heatLayer([], { radius: 25, blur: 20, minOpacity: 0.35 });
    var markers = {};
    data.features.forEach(function (feature) {
      var p = feature.properties, c = feature.geometry.coordinates;
      var box = checkboxOf(p.id);
      var marker = L.marker([c[1], c[0]], {
        icon: iconOf(p, styles, box && box.checked),
        title: p.kind_label + ", " + p.time_label,
        alt: p.kind_label,
        keyboard: true
      });
      marker.reportId = p.id;
      marker.bindPopup(popupOf(p, labels));
      marker.on("click", function (event) {
        var box = checkboxOf(p.id);
        if (event.originalEvent && event.originalEvent.shiftKey && box) {
          marker.closePopup();
          box.checked = !box.checked;
          box.dispatchEvent(new Event("change", { bubbles: true }));
        }
      });
      markers[p.id] = { marker: marker, props: p };
      clusters.addLayer(marker);
      heat.addLatLng([c[1], c[0], 1]);
    });
    map.addLayer(clusters);
    section.dataset.points = String(data.features.length);
    var status = section.querySelector(".reports-map__status");
    if (status) { status.textContent = data.features.length + " " + labels.shown; }
    document.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches || !box.matches('input[name="report_ids"]')) { return; }
      var found = markers[box.value];
      var row = box.closest("tr");
      if (row) { row.classList.toggle("report-row--selected", box.checked); }
      if (found) { found.marker.setIcon(iconOf(found.props, styles, box.checked)); }
    });
    var toggle = section.querySelector(".reports-map__heat");
    if (toggle) {
      toggle.addEventListener("change", function () {
        if (toggle.checked) { map.addLayer(heat); } else { map.removeLayer(heat); }
      });
    }
  }

  document.querySelectorAll(".reports-map[data-url]").forEach(function (section) {
    var element = section.querySelector(".folium-map");
    var map = element && window[element.id];
    if (!map || !window.fetch || !L.markerClusterGroup) { return; }
    fetch(section.dataset.url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && data.features) { draw(map, section, data); } })
      .catch(function (error) { section.dataset.failed = String(error);  /* the list still holds every report */ });
  });
})();
