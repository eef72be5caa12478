/* The staff map editor: draw, edit, cut and remove the parts of an incident's area with
 * Leaflet-Geoman, keep the form's GeoJSON text field in step, and count what the area holds.
 *
 * - The text field (textarea[name=area]) is what the form saves. Every change on the map writes
 *   the whole area into it as one MultiPolygon (RFC 7946: exterior rings counter-clockwise,
 *   holes clockwise; 7 decimals, so no vertex moves more than 0.00000005 degrees).
 * - The count (data-count-url) is asked for ~400 ms after the last change and shown in an
 *   aria-live region; an area the server refuses is explained there, with a labelled marker
 *   where the fault is (a bow-tie's crossing, say).
 * - A file chosen in input[name=area_file] is sent to data-upload-url at once; the answer
 *   replaces the area and the input is cleared, so the form does not send the file again.
 * - Address points (data-addresses-url) are drawn from zoom 16 on.
 * The map is an extra: the file input and the text field do all of this without it.
 */
(function () {
  "use strict";

  var COUNT_DELAY_MS = 400;
  var ADDRESSES_FROM_ZOOM = 16;
  var SCALE = 1e7;  // 7 decimals: about 1 cm
  var AREA_STYLE = { color: "#005a9c", weight: 4, fillColor: "#005a9c", fillOpacity: 0.2 };
  var BUTTONS = {
    drawPolygon: true, drawRectangle: true, editMode: true, dragMode: true, cutPolygon: true,
    removalMode: true, drawMarker: false, drawCircleMarker: false, drawPolyline: false,
    drawCircle: false, drawText: false, rotateMode: false
  };

  function round(value) { return Math.round(value * SCALE) / SCALE; }

  function signedArea(ring) {
    // Shoelace formula in degrees: positive for a counter-clockwise ring.
    var sum = 0;
    for (var i = 0; i + 1 < ring.length; i++) {
      sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
    }
    return sum / 2;
  }

  function ringOf(latlngs, counterClockwise) {
    var ring = latlngs.map(function (ll) { return [round(ll.lng), round(ll.lat)]; });
    ring.push(ring[0].slice());
    if ((signedArea(ring) > 0) !== counterClockwise) { ring.reverse(); }
    return ring;
  }

  function polygonsOf(layer) {
    // Leaflet: a Polygon's latlngs are [outer, hole, ...]; a multi-part one's [[outer, ...], ...].
    if (layer.getLayers) {
      return layer.getLayers().reduce(function (all, part) { return all.concat(polygonsOf(part)); }, []);
    }
    if (!(layer instanceof L.Polygon)) { return []; }
    var latlngs = layer.getLatLngs();
    return latlngs.length && latlngs[0].length && latlngs[0][0] instanceof L.LatLng ? [latlngs] : latlngs;
  }

  function geometryOf(group) {
    var polygons = [];
    polygonsOf(group).forEach(function (rings) {
      var usable = rings.filter(function (ring) { return ring.length >= 3; });
      if (!usable.length || usable[0] !== rings[0]) { return; }
      polygons.push(usable.map(function (ring, index) { return ringOf(ring, index === 0); }));
    });
    return polygons.length ? { type: "MultiPolygon", coordinates: polygons } : null;
  }

  function polygonParts(geometry) {
    // The polygons of a GeoJSON geometry, Feature or FeatureCollection, as coordinate arrays.
    if (!geometry || typeof geometry !== "object") { return []; }
    if (geometry.type === "Feature") { return polygonParts(geometry.geometry); }
    if (geometry.type === "FeatureCollection") {
      return (geometry.features || []).reduce(function (all, f) { return all.concat(polygonParts(f)); }, []);
    }
    if (geometry.type === "GeometryCollection") {
      return (geometry.geometries || []).reduce(function (all, g) { return all.concat(polygonParts(g)); }, []);
    }
    if (geometry.type === "Polygon" && Array.isArray(geometry.coordinates)) { return [geometry.coordinates]; }
    if (geometry.type === "MultiPolygon" && Array.isArray(geometry.coordinates)) { return geometry.coordinates; }
    return [];
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function Editor(root, map) {
    this.root = root;
    this.map = map;
    this.form = root.closest("form");
    this.text = this.form.querySelector("textarea[name=area]");
    this.file = this.form.querySelector("input[name=area_file]");
    this.status = root.querySelector(".area-editor__status");
    this.note = root.querySelector(".area-editor__note");
    this.labels = JSON.parse(root.dataset.labels);
    this.language = document.documentElement.lang || "nb";
    this.numbers = new Intl.NumberFormat(this.language);
    this.token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
    this.group = L.featureGroup().addTo(map);
    this.sequence = 0;
    this.timer = null;
    this.request = null;
    this.problem = null;
    this.notes = [];
  }

  Editor.prototype.start = function () {
    var self = this, map = this.map;
    map.pm.setGlobalOptions({
      layerGroup: this.group,  // drawn and cut parts land in our group, nothing else is edited
      pathOptions: L.extend({ pmIgnore: false }, AREA_STYLE),
      snappable: true
    });
    map.pm.setLang("statusmap_" + this.language, this.labels.geoman, "en");
    map.pm.addControls(L.extend({ position: "topleft" }, BUTTONS));
    map.pm.Toolbar.changeControlOrder(["drawPolygon", "drawRectangle", "editMode", "dragMode", "cutPolygon", "removalMode"]);
    this.nameControls();
    map.on("pm:create", function (e) { self.watch(e.layer); self.changed(); });
    map.on("pm:cut", function (e) { self.watch(e.layer); self.changed(); });
    map.on("pm:remove", function () { self.changed(); });
    map.on("pm:globaldrawmodetoggled pm:globaleditmodetoggled pm:globaldragmodetoggled " +
           "pm:globalremovalmodetoggled pm:globalcutmodetoggled", function () { self.nameControls(); });
    this.text.addEventListener("change", function () { self.fromText(); });
    if (this.file) {
      this.file.addEventListener("change", function () { self.upload(); });
    }
    this.adoptServerArea();
    var geometry = geometryOf(this.group);
    var problem = this.root.dataset.problem;
    if (geometry) {
      this.count(geometry);
    } else if (problem) {
      this.showError(this.root.dataset.problemText, JSON.parse(problem));
    } else {
      this.showEmpty();
    }
  };

  Editor.prototype.nameControls = function () {
    // Geoman puts its titles on the buttons' containers: give the buttons themselves a name
    // and say which mode is on, for screen readers and voice control.
    this.map.getContainer().querySelectorAll(".leaflet-pm-toolbar .button-container").forEach(function (box) {
      var button = box.querySelector(".leaflet-buttons-control-button");
      if (!button || !box.title) { return; }
      button.setAttribute("aria-label", box.title);
      button.setAttribute("title", box.title);
      button.setAttribute("aria-pressed", box.classList.contains("active") ? "true" : "false");
    });
  };

  Editor.prototype.adoptServerArea = function () {
    // The map arrives with the form's area drawn by folium (role "area"): the same polygons,
    // exact, become our editable parts.
    var found = [];
    this.map.eachLayer(function (layer) {
      var properties = layer.feature && layer.feature.properties;
      if (properties && properties.role === "area" && !layer.getLayers) { found.push(layer); }
    });
    var map = this.map, parts = [];
    found.forEach(function (layer) {
      parts = parts.concat(polygonParts(layer.feature.geometry));
      Object.keys(layer._eventParents || {}).forEach(function (id) { map.removeLayer(layer._eventParents[id]); });
      map.removeLayer(layer);
    });
    this.draw(parts);
  };

  Editor.prototype.draw = function (parts) {
    var self = this;
    this.group.clearLayers();
    parts.forEach(function (coordinates) {
      var layer = L.polygon(L.GeoJSON.coordsToLatLngs(coordinates, 1), L.extend({ pmIgnore: false }, AREA_STYLE));
      self.group.addLayer(layer);
      self.watch(layer);
    });
  };

  Editor.prototype.watch = function (layer) {
    var self = this;
    if (!layer || layer._areaWatched) { return; }
    layer._areaWatched = true;
    layer.on("pm:edit pm:dragend", function () { self.changed(); });
    if (layer.getLayers) { layer.getLayers().forEach(function (part) { self.watch(part); }); }
  };

  Editor.prototype.changed = function () {
    // Whatever changed on the map, the text field gets the whole area, then the count follows.
    var geometry = geometryOf(this.group);
    this.text.value = geometry ? JSON.stringify(geometry) : "";
    this.count(geometry);
  };

  Editor.prototype.fromText = function () {
    // Typed or pasted GeoJSON: shown on the map and counted, the text itself left as written.
    var value = this.text.value.trim(), parsed = null;
    if (!value) { this.group.clearLayers(); this.count(null); return; }
    try { parsed = JSON.parse(value); } catch (e) { parsed = null; }
    var parts = polygonParts(parsed);
    if (!parts.length) { this.cancel(); this.showError(this.labels.unreadable, null); return; }
    this.draw(parts);
    this.fit();
    this.count({ type: "MultiPolygon", coordinates: parts });
  };

  Editor.prototype.cancel = function () {
    this.sequence += 1;
    clearTimeout(this.timer);
    if (this.request) { this.request.abort(); this.request = null; }
  };

  Editor.prototype.count = function (geometry) {
    var self = this;
    this.cancel();
    this.clearProblem();
    if (!geometry) { this.showEmpty(); return; }
    var mine = this.sequence;
    this.setState("counting");
    this.timer = setTimeout(function () {
      self.post(self.root.dataset.countUrl, JSON.stringify({ area: geometry }), true).then(function (answer) {
        if (mine !== self.sequence) { return; }
        if (answer.ok) { self.showCount(answer.data); } else { self.showError(answer.data.error, answer.data.location); }
      });
    }, COUNT_DELAY_MS);
  };

  Editor.prototype.post = function (url, body, json) {
    var headers = { "X-CSRFToken": this.token, "Accept": "application/json" };
    if (json) { headers["Content-Type"] = "application/json"; }
    var request = this.request = new AbortController();
    var failed = { error: this.labels.failed, location: null };
    return fetch(url, { method: "POST", headers: headers, body: body, credentials: "same-origin", signal: request.signal })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") !== 0) { return { ok: false, data: failed }; }
        return response.json().then(function (data) {
          return { ok: response.ok, data: response.ok || data.error ? data : failed };
        });
      })
      .catch(function (error) {
        return error.name === "AbortError" ? { ok: false, aborted: true, data: failed } : { ok: false, data: failed };
      });
  };

  Editor.prototype.upload = function () {
    var self = this, file = this.file.files && this.file.files[0];
    if (!file) { return; }
    var body = new FormData();
    body.append("file", file);
    this.cancel();
    this.clearProblem();
    this.setState("uploading");
    this.replaceStatus([element("p", "", this.labels.uploading)]);
    var mine = this.sequence;
    this.post(this.root.dataset.uploadUrl, body, false).then(function (answer) {
      if (mine !== self.sequence || answer.aborted) { return; }
      self.file.value = "";  // read: the form must not send it again
      if (!answer.ok) { self.showError(answer.data.error, answer.data.location); return; }
      self.draw(polygonParts(answer.data.area));
      self.fit();
      self.notes = answer.data.notes || [];
      self.changed();
    });
  };

  Editor.prototype.fit = function () {
    var bounds = this.group.getBounds();
    if (bounds.isValid()) { this.map.fitBounds(bounds, { padding: [24, 24] }); }
  };

  Editor.prototype.plural = function (forms, n) {
    return (n === 1 ? forms.one : forms.other).replace("{n}", this.numbers.format(n));
  };

  Editor.prototype.setState = function (state) {
    this.root.dataset.state = state;
    this.status.setAttribute("aria-busy", state === "counting" || state === "uploading" ? "true" : "false");
  };

  Editor.prototype.replaceStatus = function (nodes) {
    var status = this.status;
    while (status.firstChild) { status.removeChild(status.firstChild); }
    nodes.forEach(function (node) { status.appendChild(node); });
  };

  Editor.prototype.showEmpty = function () {
    this.setState("empty");
    this.replaceStatus([element("p", "", this.labels.empty)]);
  };

  function normalised(data) {
    // The count in one shape, from either answer the server may give: the flat one
    // ({dwellings: n, unknown_dwellings: n, vulnerable: [{category, category_label, ...}]}) or
    // AffectedSummary.to_json ({dwellings: {total, unknown_for_addresses}, vulnerable:
    // {categories: [{category, label, subscribers}]}}). Categories keep the server's order.
    var dwellings = data.dwellings, vulnerable = data.vulnerable || [], groups = [];
    if (Array.isArray(vulnerable)) {
      var byCategory = {};
      vulnerable.forEach(function (v) {
        if (!byCategory[v.category]) {
          byCategory[v.category] = { label: v.category_label, subscribers: [] };
          groups.push(byCategory[v.category]);
        }
        byCategory[v.category].subscribers.push(v);
      });
    } else {
      groups = (vulnerable.categories || []).map(function (c) { return { label: c.label, subscribers: c.subscribers || [] }; });
    }
    var object = dwellings !== null && typeof dwellings === "object";
    return {
      addresses: data.addresses,
      dwellings: object ? dwellings.total : dwellings,
      unknown: object ? dwellings.unknown_for_addresses : data.unknown_dwellings,
      groups: groups
    };
  }

  Editor.prototype.showCount = function (data) {
    var labels = this.labels, nodes = [], count = normalised(data);
    var text = this.plural(labels.addresses, count.addresses) + ", " + this.plural(labels.dwellings, count.dwellings);
    if (count.unknown > 0) { text += " (" + this.plural(labels.unknown, count.unknown) + ")"; }
    this.notes.forEach(function (note) { nodes.push(element("p", "", note)); });
    this.notes = [];
    nodes.push(element("p", "area-editor__count", text));
    if (data.subscribers && labels.reach) { nodes.push(element("p", "area-editor__reach", this.reachText(data.subscribers))); }
    nodes = nodes.concat(this.vulnerableList(count.groups));
    this.replaceStatus(nodes);
    this.setState("counted");
  };

  /* Whom a warning would reach now: the subscribers inside, and the messages by channel. */
  Editor.prototype.reachText = function (reach) {
    var numbers = this.numbers, values = { n: reach.total, v: reach.vulnerable, sms: reach.sms, voice: reach.voice, email: reach.email };
    return this.labels.reach.replace(/\{(n|v|sms|voice|email)\}/g, function (_m, key) { return numbers.format(values[key]); });
  };

  Editor.prototype.vulnerableList = function (groups) {
    // Grouped by category in words (a list, never a colour), each subscriber under its category.
    var labels = this.labels, numbers = this.numbers, total = 0;
    if (!groups.length) { return [element("p", "", labels.no_vulnerable)]; }
    var list = element("ul", "area-editor__vulnerable");
    groups.forEach(function (group) {
      total += group.subscribers.length;
      var item = element("li", "", group.label + " (" + numbers.format(group.subscribers.length) + ")");
      var inner = element("ul");
      group.subscribers.forEach(function (v) {
        inner.appendChild(element("li", "", v.name ? v.name + ", " + v.address : v.address));
      });
      item.appendChild(inner);
      list.appendChild(item);
    });
    return [element("h4", "", labels.vulnerable + " (" + numbers.format(total) + ")"), list];
  };

  Editor.prototype.showError = function (message, location) {
    this.clearProblem();
    this.replaceStatus([element("p", "area-editor__error", message || this.labels.failed)]);
    this.setState("error");
    if (location && location.length === 2) {
      this.problem = L.circleMarker([location[1], location[0]], {
        radius: 10, color: "#a50f15", weight: 3, fillColor: "#a50f15", fillOpacity: 0.3,
        interactive: false, className: "area-problem-marker"
      }).bindTooltip(this.labels.problem, {
        permanent: true, direction: "top", offset: [0, -10], className: "area-problem"
      }).addTo(this.map);
    }
  };

  Editor.prototype.clearProblem = function () {
    if (this.problem) { this.map.removeLayer(this.problem); this.problem = null; }
  };

  function addressPoints(map, root, labels) {
    // Context at street level: every address as a dot (vulnerable ones larger, dark red).
    var url = root.dataset.addressesUrl, note = root.querySelector(".area-editor__note");
    var pane = map.createPane("addresses");
    pane.style.zIndex = 450;  // above the areas (400), below Geoman's vertex handles (600)
    pane.style.pointerEvents = "none";
    pane.setAttribute("aria-hidden", "true");
    var renderer = L.canvas({ pane: "addresses" });
    var layer = L.layerGroup().addTo(map), request = null;
    function draw(data) {
      layer.clearLayers();
      data.features.forEach(function (f) {
        var c = f.geometry.coordinates, vulnerable = f.properties.vulnerable;
        L.circleMarker([c[1], c[0]], {
          renderer: renderer, pane: "addresses", interactive: false, radius: vulnerable ? 5 : 3,
          color: "#fff", weight: 1, fillColor: vulnerable ? "#a50f15" : "#1b1b1b", fillOpacity: 1
        }).addTo(layer);
      });
      note.textContent = labels.zoom_in;
      note.hidden = !data.capped;
      root.dataset.addressPoints = String(data.features.length);
    }
    function load() {
      if (request) { request.abort(); request = null; }
      if (map.getZoom() < ADDRESSES_FROM_ZOOM) {
        layer.clearLayers();
        note.hidden = true;
        root.dataset.addressPoints = "0";
        return;
      }
      var b = map.getBounds();
      var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(6); });
      request = new AbortController();
      fetch(url + "?bbox=" + bbox.join(","), { credentials: "same-origin", signal: request.signal })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && data.features) { draw(data); } })
        .catch(function () { /* no points: the count still tells */ });
    }
    map.on("moveend", load);
    load();
  }

  document.querySelectorAll(".area-editor").forEach(function (root) {
    var mapElement = root.querySelector(".folium-map");
    var map = mapElement && window[mapElement.id];
    if (!map || !map.pm || !window.fetch || !root.closest("form")) { return; }
    // Only our own layers (pmIgnore: false) are editable: not the boundary, the other
    // incidents, the streets or the address points.
    L.PM.setOptIn(true);
    var editor = new Editor(root, map);
    editor.start();
    addressPoints(map, root, editor.labels);
  });
})();
