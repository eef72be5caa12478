/* statusmap widget: a municipality's current water and wastewater incidents on any website.
 *
 *   <script src="https://HOST/static/js/widget.js" data-municipality="SLUG" data-lang="nb"
 *           data-map="true" data-compact="false" async></script>
 *
 * Renders right after its script tag (or into the element data-target names, by id or selector),
 * inside a shadow root whose styles neither take the host page's CSS nor leak into it. Talks to
 * the script's own origin only (GeoJSON, CORS *), builds the DOM node by node (no HTML strings, no eval), and
 * styles itself with a constructed stylesheet, so a host CSP needs only our origin in script-src
 * and connect-src. Refreshes every few minutes and announces a change politely.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || !window.fetch) return;
  var data = script.dataset;
  var slug = data.municipality;
  if (!slug) return;
  var origin = new URL(script.src, location.href).origin;
  var lang = ["nb", "nn", "en"].indexOf(data.lang) >= 0 ? data.lang : "nb";
  var withMap = data.map !== "false" && data.map !== "0";
  var compact = data.compact === "true" || data.compact === "1";
  var REFRESH_MS = 180000;
  var SVG = "http://www.w3.org/2000/svg";
  var api = origin + "/api/v1/" + encodeURIComponent(slug);
  var pageUrl = origin + "/" + encodeURIComponent(slug) + "/?lang=" + lang;

  var TEXTS = {
    nb: ["Driftsmeldinger for vann og avløp", "Sist oppdatert:", "Henter driftsmeldinger …",
      "Ingen kjente driftsforstyrrelser akkurat nå.", "Start", "Forventet ferdig",
      "Hva bør du gjøre?", "Se alle driftsmeldinger", "Kart over områdene til hendelsene i listen",
      "Driftsmeldingene kunne ikke hentes akkurat nå.", "Driftsmeldingene er oppdatert:",
      "hendelser", "kl."],
    nn: ["Driftsmeldingar for vatn og avløp", "Sist oppdatert:", "Hentar driftsmeldingar …",
      "Ingen kjende driftsforstyrringar akkurat no.", "Start", "Venta ferdig",
      "Kva bør du gjere?", "Sjå alle driftsmeldingar", "Kart over områda til hendingane i lista",
      "Driftsmeldingane kunne ikkje hentast akkurat no.", "Driftsmeldingane er oppdaterte:",
      "hendingar", "kl."],
    en: ["Water and wastewater service notices", "Last updated:", "Fetching service notices …",
      "No known service disruptions right now.", "Start", "Expected end",
      "What should you do?", "See all service notices", "Map of the incident areas in the list",
      "The service notices could not be fetched just now.", "The service notices were updated:",
      "incidents", ""]
  }[lang];
  var T = {};
  ["heading", "updated", "loading", "none", "start", "end", "advice", "more", "map", "failed",
    "changed", "incidents", "at"].forEach(function (key, i) { T[key] = TEXTS[i]; });

  // Kind colours and line patterns, as on the public map (statusmap/kinds.py).
  var KINDS = {
    boil_water: ["#a50f15", ""], shutdown: ["#08306b", "10 6"], planned_works: ["#7a4100", "2 6"],
    low_pressure: ["#54278f", "14 4 2 4"], discoloured_water: ["#6b4c00", "4 4"],
    sewer: ["#00441b", "10 3 2 3 2 3"], other: ["#333333", "1 5"]
  };

  var CSS = [
    ":host{all:initial!important;display:block!important}",
    ".w{box-sizing:border-box;max-width:40em;margin:0;padding:12px 14px;border:1px solid #c8c8c8;",
    "border-radius:6px;background:#fff;color:#1b1b1b;text-align:left;",
    "font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}",
    ".w *{box-sizing:border-box;font-family:inherit}",
    "h2{font-size:18px;line-height:1.3;margin:0;font-weight:700}",
    "h3{font-size:16px;margin:3px 0;font-weight:700}h4{font-size:15px;margin:4px 0 0;font-weight:700}",
    "p{margin:4px 0}.u{color:#4a4a4a;font-size:14px;margin:2px 0 8px}",
    "ol,ul{list-style:none;margin:0;padding:0}",
    "li{display:block;margin:0 0 8px;padding:8px 10px;border:1px solid #c8c8c8;",
    "border-left:6px solid #a50f15;border-radius:4px}li.scheduled{border-left-color:#7a4100}",
    ".k{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin:0;font-weight:600;font-size:15px}",
    ".s{border:1px solid #1b1b1b;border-radius:3px;padding:0 5px;font-size:14px}",
    ".n{display:inline-flex;justify-content:center;align-items:center;width:22px;height:22px;",
    "border:1.5px solid #1b1b1b;border-radius:50%;font-size:13px}",
    ".f{font-size:14px;margin:2px 0}.f span{display:inline-block;margin-right:12px}.f b{font-weight:600}",
    ".a{background:#fff4d6;border-radius:4px;padding:2px 10px;margin-top:6px}",
    "a{color:#0b4f8a;text-decoration:underline}",
    "a:focus-visible{outline:3px solid #1b1b1b;outline-offset:2px;box-shadow:0 0 0 6px #ffbf47}",
    "svg{display:block;width:100%;max-width:320px;height:auto;margin:8px 0;background:#f4f5f7;border:1px solid #c8c8c8}",
    ".c li{padding:5px 8px}",
    ".v{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"
  ].join("");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    (children || []).forEach(function (child) {
      if (child !== null) node.append(child);
    });
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }

  var locale = { nb: "nb-NO", nn: "nn-NO", en: "en-GB" }[lang];
  var dateParts = new Intl.DateTimeFormat(locale, {
    timeZone: "Europe/Oslo", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });
  var offsetPart = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Oslo", timeZoneName: "shortOffset" });

  function part(parts, type) {
    var found = parts.filter(function (p) { return p.type === type; })[0];
    return found ? found.value : "";
  }

  // As the pages print times: "1. des. 2026 kl. 21:25 CET" / "1 Dec 2026, 21:25 CET".
  function when(iso) {
    var date = new Date(iso);
    var p = dateParts.formatToParts(date);
    var zone = part(offsetPart.formatToParts(date), "timeZoneName") === "GMT+2" ? "CEST" : "CET";
    var day = part(p, "day") + (lang === "en" ? " " : ". ") + part(p, "month") + " " + part(p, "year");
    var time = part(p, "hour") + ":" + part(p, "minute");
    return day + (T.at ? " " + T.at + " " : ", ") + time + " " + zone;
  }

  function time(iso) {
    return el("time", { datetime: iso }, [when(iso)]);
  }

  function fact(label, iso) {
    return iso ? el("span", {}, [el("b", {}, [label + ":"]), " ", time(iso)]) : null;
  }

  function item(feature, number) {
    var p = feature.properties;
    var kind = el("p", { class: "k" }, [
      number ? el("span", { class: "n", "aria-hidden": "true" }, [String(number)]) : null,
      el("span", {}, [p.kind_label]), el("span", { class: "s" }, [p.status_label])
    ]);
    var parts = [kind, el("h3", {}, [el("a", { href: p.url }, [p.title])]),
      el("p", { class: "f" }, [fact(T.start, p.starts_at), fact(T.end, p.expected_end)])];
    if (!compact && p.summary) parts.push(el("p", {}, [p.summary]));
    if (!compact && p.advice) {
      parts.push(el("div", { class: "a" }, [el("h4", {}, [T.advice]), el("p", {}, [p.advice])]));
    }
    return el("li", { class: p.status }, parts);
  }

  function rings(geometry) {
    if (!geometry) return [];
    if (geometry.type === "Polygon") return geometry.coordinates;
    if (geometry.type === "MultiPolygon") return [].concat.apply([], geometry.coordinates);
    return [];
  }

  // The incident areas, numbered as in the list, fitted to their joint extent.
  function miniMap(features) {
    var all = [].concat.apply([], features.map(function (f) { return [].concat.apply([], rings(f.geometry)); }));
    if (!all.length) return null;
    var xs = all.map(function (c) { return c[0]; }), ys = all.map(function (c) { return c[1]; });
    var minx = Math.min.apply(null, xs), maxx = Math.max.apply(null, xs);
    var miny = Math.min.apply(null, ys), maxy = Math.max.apply(null, ys);
    var stretch = Math.cos(((miny + maxy) / 2) * Math.PI / 180);
    var span = Math.max((maxx - minx) * stretch, (maxy - miny), 1e-6) * 1.3;
    var scale = 300 / span, cx = (minx + maxx) / 2, cy = (miny + maxy) / 2;
    function x(lon) { return (160 + (lon - cx) * stretch * scale).toFixed(1); }
    function y(lat) { return (110 - (lat - cy) * scale).toFixed(1); }
    var map = svg("svg", { viewBox: "0 0 320 220", role: "img", focusable: "false" });
    var names = [];
    features.forEach(function (f, i) {
      var style = KINDS[f.properties.kind] || KINDS.other;
      var d = rings(f.geometry).map(function (ring) {
        return "M" + ring.map(function (c) { return x(c[0]) + " " + y(c[1]); }).join("L") + "Z";
      }).join("");
      if (!d) return;
      names.push(i + 1 + ": " + f.properties.kind_label);
      map.append(svg("path", { d: d, fill: style[0], "fill-opacity": "0.25", "fill-rule": "evenodd",
        stroke: style[0], "stroke-width": "2", "stroke-dasharray": style[1] || "none" }));
      var box = rings(f.geometry)[0];
      var lx = box.reduce(function (s, c) { return s + c[0]; }, 0) / box.length;
      var ly = box.reduce(function (s, c) { return s + c[1]; }, 0) / box.length;
      map.append(svg("circle", { cx: x(lx), cy: y(ly), r: "10", fill: "#fff", stroke: "#1b1b1b", "stroke-width": "1.5" }));
      var label = svg("text", { x: x(lx), y: y(ly), dy: "4", "text-anchor": "middle", "font-size": "12",
        "font-weight": "700", fill: "#1b1b1b" });
      label.textContent = String(i + 1);
      map.append(label);
    });
    map.setAttribute("aria-label", T.map + "; " + names.join("; "));
    return map;
  }

  function mount() {
    var host = el("div", { class: "statusmap-widget" });
    var target = data.target && (document.getElementById(data.target) || document.querySelector(data.target));
    if (target) target.append(host);
    else script.after(host);
    var root = host.attachShadow({ mode: "open" });
    if (root.adoptedStyleSheets && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(el("style", {}, [CSS]));
    }
    return root;
  }

  var root = mount();
  var heading = el("h2", { id: "statusmap-heading" }, [T.heading]);
  var updated = el("p", { class: "u" }, []);
  var body = el("div", {}, [el("p", {}, [T.loading])]);
  var live = el("p", { class: "v", "aria-live": "polite" }, []);
  var more = el("a", { href: pageUrl }, [T.more]);
  root.append(el("section", { class: "w" + (compact ? " c" : ""), lang: lang, "aria-labelledby": "statusmap-heading" },
    [heading, updated, body, el("p", {}, [more]), live]));

  var shown = null, serial = null;

  function render(collection) {
    var features = collection.features || [];
    var key = JSON.stringify(features);
    if (key === shown) return false;
    var changed = shown !== null;
    shown = key;
    var map = withMap ? miniMap(features) : null;
    var list = el(map ? "ol" : "ul", {}, features.map(function (f, i) { return item(f, map ? i + 1 : 0); }));
    body.replaceChildren(features.length ? list : el("p", {}, [T.none]));
    if (map) body.append(map);
    if (changed) live.textContent = T.changed + " " + features.length + " " + T.incidents + ".";
    return true;
  }

  function stamp() {
    updated.replaceChildren(T.updated + " ", time(new Date().toISOString()));
  }

  function get(url) {
    return fetch(url, { credentials: "omit" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }

  function load() {
    return get(api + "/incidents.geojson?lang=" + lang).then(function (collection) {
      render(collection);
      stamp();
    }).catch(function () {
      if (shown === null) body.replaceChildren(el("p", {}, [T.failed]));
    });
  }

  get(origin + "/api/v1/municipalities").then(function (found) {
    var m = (found.municipalities || []).filter(function (x) { return x.slug === slug; })[0];
    var name = m && (m.names[lang] || m.names.nb);
    if (name) heading.append(" – " + name);
  }).catch(function () {});

  // A change stamp when the server has one; otherwise the GeoJSON itself (revalidated by ETag).
  function refresh() {
    if (document.hidden) return;
    fetch(api + "/changes", { credentials: "omit" }).then(function (r) {
      if (!r.ok) return load();
      return r.json().then(function (body) {
        if (body.serial === serial) return null;
        serial = body.serial;
        return load();
      });
    }).catch(load);
  }

  load();
  setInterval(refresh, REFRESH_MS);
})();
