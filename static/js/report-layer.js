/* Residents' reports on the public page: the generalised cells from /api/v1/<slug>/reports.geojson
 * (never points), drawn as dotted squares apart from the incident zones, and said in words in the
 * list ("3 om ingen vann rundt Storgata"). The page itself stays free of reports (it is kept per
 * change of the incidents); this script fetches the layer after load and every minute. */
(function () {
  "use strict";
  var box = document.querySelector("[data-report-layer]");
  if (!box || !window.fetch) {
    return;
  }
  var layer = null;
  var last = null;

  function phrases() { return JSON.parse(box.dataset.reportKinds); }

  function current() { return document.querySelector("[data-report-layer]"); }

  function sentence(kind, count, streets, here) {
    var text = count + " " + here.about + " " + phrases()[kind];
    return streets.length ? text + " " + here.around + " " + streets.join(" " + here.and + " ") : text;
  }

  function render(features) {
    var section = current();
    var list = section.querySelector("[data-report-summary]");
    var none = section.querySelector("[data-report-none]");
    var here = { about: section.dataset.reportAbout, around: section.dataset.reportAround,
                 and: section.dataset.reportAnd };
    list.textContent = "";
    features.forEach(function (feature) {
      var p = feature.properties;
      Object.keys(p.counts).forEach(function (kind) {
        if (p.counts[kind] > 0) {
          var item = document.createElement("li");
          item.textContent = sentence(kind, p.counts[kind], p.streets, here);
          list.appendChild(item);
        }
      });
    });
    none.hidden = features.length > 0;
    list.hidden = features.length === 0;
    section.dataset.reportShown = "true";
  }

  function draw(features) {
    var element = document.querySelector(".map-frame .folium-map");
    var map = element && window[element.id];
    if (!map || !window.L) {
      return;
    }
    if (layer) {
      map.removeLayer(layer);
    }
    layer = window.L.layerGroup();
    features.forEach(function (feature) {
      window.L.geoJSON(feature.geometry, {
        interactive: false,
        style: function () {
          return { color: "#4b2a7b", weight: 2, dashArray: "2 4", fillColor: "#4b2a7b",
                   fillOpacity: 0.12 };
        }
      }).addTo(layer);
    });
    layer.addTo(map);
  }

  function load() {
    fetch(box.dataset.reportLayer, { credentials: "omit" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (collection) {
        last = collection.features || [];
        render(last);
        draw(last);
      })
      .catch(function () { /* the list says nothing new; the next round tries again */ });
  }

  // The live updates swap the list for the fresh (report-free) page: say the reports again.
  var list = document.querySelector(".status-layout__list");
  if (list && window.MutationObserver) {
    new MutationObserver(function () {
      var section = current();
      if (last && section && !section.dataset.reportShown) {
        render(last);
      }
    }).observe(list, { childList: true });
  }
  load();
  window.setInterval(function () { if (!document.hidden) { load(); } }, 60000);
})();
