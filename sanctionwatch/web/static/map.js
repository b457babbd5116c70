/* Maps of located places, drawn on an offline Natural Earth basemap.
 *
 * Data comes from a <script type="application/json"> block named by the map element's
 * data-points attribute. Popups are DOM nodes filled with textContent: Leaflet renders popup
 * *strings* as HTML (Leaflet#10214), and every field here is scraped text.
 */
(function () {
  "use strict";

  var DEFAULT_CENTER = [40.0, 127.0];
  var DEFAULT_ZOOM = 4;

  function isPlottable(point) {
    var lat = point.lat;
    var lon = point.lon;
    if (typeof lat !== "number" || typeof lon !== "number") return false;
    if (!isFinite(lat) || !isFinite(lon)) return false;
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return false;
    return !(lat === 0 && lon === 0); // (0, 0) is a failed geocode, never a place
  }

  function textElement(tagName, text, className) {
    var element = document.createElement(tagName);
    element.textContent = text;
    if (className) element.className = className;
    return element;
  }

  function popupNode(point) {
    var container = document.createElement("div");
    container.className = "map-popup";
    container.appendChild(textElement("strong", point.summary || point.type || "incident"));
    var place = point.place + (point.role ? " (" + point.role + ")" : "");
    container.appendChild(textElement("div", point.type + " · " + place));
    if (point.start) container.appendChild(textElement("div", point.start));
    if (point.certainty) container.appendChild(textElement("div", "certainty: " + point.certainty));
    var link = textElement("a", "evidence →");
    link.href = "/incidents/" + encodeURIComponent(point.incident_id);
    container.appendChild(link);
    return container;
  }

  function addBasemap(map, url) {
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("basemap " + response.status);
        return response.json();
      })
      .then(function (geojson) {
        L.geoJSON(geojson, {
          interactive: false,
          style: { color: "#8a8f98", weight: 0.6, fillColor: "#e9e6dc", fillOpacity: 1 },
        }).addTo(map).bringToBack();
      })
      .catch(function () {
        // The markers still work without outlines; say so instead of failing silently.
        map.getContainer().classList.add("basemap-missing");
      });
  }

  function drawMap(element) {
    var dataElement = document.getElementById(element.getAttribute("data-points"));
    var points = dataElement ? JSON.parse(dataElement.textContent) : [];
    var map = L.map(element, { minZoom: 1, maxZoom: 12, worldCopyJump: false });
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Natural Earth");
    addBasemap(map, element.getAttribute("data-basemap"));

    var latLngs = [];
    points.filter(isPlottable).forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], { title: point.place, alt: point.place });
      marker.bindPopup(popupNode(point));
      marker.addTo(map);
      latLngs.push([point.lat, point.lon]);
    });
    element.setAttribute("data-marker-count", String(latLngs.length));
    if (latLngs.length) {
      map.fitBounds(L.latLngBounds(latLngs), { padding: [30, 30], maxZoom: 6 });
    } else {
      map.setView(DEFAULT_CENTER, DEFAULT_ZOOM);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") return;
    Array.prototype.forEach.call(document.querySelectorAll("div.map[data-points]"), drawMap);
  });
})();
