/* Live updates of the public status page, without reloading it.
 *
 * The page polls a tiny change stamp (GET /api/v1/<slug>/changes: {"serial": n}), which
 * browsers, a micro-cache or a CDN keep for a few seconds, so thousands of open pages cost the
 * app little. When the serial moves on, the script fetches the page again (the server keeps it
 * prepared for that serial) and swaps in the incident list and the "last updated" time, redraws
 * the incident zones on the map without moving the reader's view, and says so politely to
 * screen readers. Nothing happens while the tab is hidden; a failed poll is retried later.
 */
(function () {
  "use strict";

  var live = document.querySelector("[data-live-changes]");
  if (!live || !window.fetch || !window.DOMParser) {
    return;
  }
  var serial = live.dataset.liveSerial;
  var interval = Math.max(5, Number(live.dataset.liveInterval) || 15) * 1000;
  var status = live.querySelector("[data-live-status]");
  var failures = 0;
  var timer = null;

  function withParam(url, name, value) {
    var u = new URL(url, window.location.href);
    u.searchParams.set(name, value);
    return u.toString();
  }

  function say(text) {
    // Cleared first, so that the same words said twice are announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 100);
  }

  function swap(selector, fresh) {
    var old = document.querySelector(selector);
    var next = fresh.querySelector(selector);
    if (!old || !next || old.innerHTML === next.innerHTML) {
      return false;
    }
    var focused = document.activeElement && old.contains(document.activeElement) && document.activeElement.id;
    old.innerHTML = next.innerHTML;
    if (focused && document.getElementById(focused)) {
      document.getElementById(focused).focus();
    }
    return true;
  }

  function escapeHtml(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }

  function redrawZones(features) {
    var frame = document.querySelector(".map-frame[data-zone-styles]");
    var element = frame && frame.querySelector(".folium-map");
    var map = element && window[element.id];
    if (!map || !window.L) {
      return;
    }
    var styles = JSON.parse(frame.dataset.zoneStyles);
    map.eachLayer(function (layer) {
      // Zones are the layers with a tooltip; the boundary and the base layers have none.
      if (layer.getTooltip && layer.getTooltip() && layer.feature === undefined && layer.eachLayer) {
        map.removeLayer(layer);
      }
    });
    features.forEach(function (feature) {
      var p = feature.properties;
      var s = styles[p.kind] || styles.other;
      var scheduled = p.status === "scheduled";
      var zone = window.L.geoJSON(feature.geometry, {
        style: function () {
          return {
            color: s.colour, weight: 3, dashArray: s.dash, fillColor: s.colour,
            fillOpacity: scheduled ? s.fill_opacity / 3 : s.fill_opacity
          };
        }
      });
      zone.bindTooltip("<strong>" + escapeHtml(p.kind_label) + "</strong> (" +
        escapeHtml(p.status_label) + ")<br>" + escapeHtml(p.title), { sticky: false });
      zone.addTo(map);
    });
    if (window.statusmapNameZones) {
      window.statusmapNameZones(map);
    }
  }

  function refresh(newSerial) {
    var lang = document.documentElement.lang;
    var page = fetch(withParam(window.location.href, "v", newSerial), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); });
    var zones = fetch(withParam(withParam(live.dataset.liveGeojson, "v", newSerial), "lang", lang))
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
    return Promise.all([page, zones]).then(function (answers) {
      var fresh = new DOMParser().parseFromString(answers[0], "text/html");
      swap(".status-layout__list", fresh);
      swap(".updated", fresh);
      swap(".legend", fresh);
      redrawZones(answers[1].features || []);
      serial = newSerial;
      say(live.dataset.liveAnnounce);
    });
  }

  function poll() {
    timer = null;
    if (document.hidden) {
      return; // polled again when the tab is shown
    }
    fetch(live.dataset.liveChanges)
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (stamp) {
        var next = String(stamp.serial);
        return next === serial ? null : refresh(next);
      })
      .then(function () { failures = 0; })
      .catch(function () {
        failures += 1;
        if (failures === 3) {
          say(live.dataset.liveFailed);
        }
      })
      .then(schedule);
  }

  function schedule() {
    if (timer === null) {
      // Up to a fifth either way, so that pages opened together do not poll together; slower
      // after failures (at most eight times the interval).
      var wait = interval * Math.min(8, Math.pow(2, Math.min(failures, 3))) * (0.8 + Math.random() * 0.4);
      timer = window.setTimeout(poll, wait);
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      if (timer !== null) {
        window.clearTimeout(timer);
        timer = null;
      }
      poll();
    }
  });
  schedule();
})();
