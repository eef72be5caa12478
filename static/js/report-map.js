/* The report form's map: a tap (or "Bruk min posisjon") puts the report's point in the hidden
   lat/lon fields and a marker on the map. Without this script the map stays hidden and the
   address field does the work. No third-party requests. */
(function () {
  var form = document.querySelector(".report-form");
  if (!form) { return; }
  var box = form.querySelector(".report-form__map");
  var element = box && box.querySelector(".folium-map");
  var map = element && window[element.id];
  if (!map || !window.L) { return; }
  var lat = form.querySelector("[data-report-lat]");
  var lon = form.querySelector("[data-report-lon]");
  var status = form.querySelector(".report-form__point");
  var marker = null;
  box.hidden = false;
  map.invalidateSize();
  // The map was framed while hidden (no size, so at world zoom): frame the municipality again.
  var framed = L.latLngBounds([]);
  map.eachLayer(function (layer) {
    if (layer.getBounds && layer.getBounds().isValid()) { framed.extend(layer.getBounds()); }
  });
  if (framed.isValid()) { map.fitBounds(framed); }

  function choose(latlng, message) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.circleMarker(latlng, { radius: 9, color: "#000", weight: 3, fillColor: "#ffd400", fillOpacity: 1 }).addTo(map);
    }
    status.textContent = message;
  }

  if (lat.value && lon.value) {
    choose(L.latLng(parseFloat(lat.value), parseFloat(lon.value)), form.getAttribute("data-msg-point"));
  }
  map.on("click", function (event) { choose(event.latlng, form.getAttribute("data-msg-point")); });

  var locate = box.querySelector(".report-form__locate");
  if (!("geolocation" in navigator)) {
    locate.hidden = true;
    return;
  }
  locate.addEventListener("click", function () {
    status.textContent = form.getAttribute("data-msg-locating");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var here = L.latLng(position.coords.latitude, position.coords.longitude);
        choose(here, form.getAttribute("data-msg-located"));
        map.setView(here, Math.max(map.getZoom(), 16));
      },
      function (error) {
        var denied = error && error.code === 1; // PERMISSION_DENIED
        status.textContent = form.getAttribute(denied ? "data-msg-denied" : "data-msg-unavailable");
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
