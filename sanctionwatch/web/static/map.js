/* Maps of incidents, drawn on an offline Natural Earth basemap.
 *
 * Layers, bottom to top: sea outlines (only the seas incidents are known by), countries (shaded
 * by how many incidents are known only at country level), points (one per located place,
 * coloured by type, clustered on a pixel grid that is rebuilt at every zoom).
 *
 * Data comes from a <script type="application/json"> block named by the map element's data-map
 * attribute. Every popup and tooltip is a DOM node filled with textContent: Leaflet renders
 * popup *strings* as HTML (Leaflet#10214), and every field here is scraped text.
 */
(function () {
  "use strict";

  var DEFAULT_CENTER = [38.0, 120.0];
  var DEFAULT_ZOOM = 3;
  var CELL_PIXELS = 44; // points closer than this on screen are drawn as one cluster
  var MAX_POPUP_ITEMS = 12;
  var LAND = { color: "#9aa0a6", weight: 0.5, fillColor: "#ece8dc", fillOpacity: 1 };

  function isPlottable(point) {
    var lat = point.lat;
    var lon = point.lon;
    if (typeof lat !== "number" || typeof lon !== "number") return false;
    if (!isFinite(lat) || !isFinite(lon)) return false;
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return false;
    return !(lat === 0 && lon === 0); // (0, 0) is a failed geocode, never a place
  }

  function el(tagName, text, className) {
    var element = document.createElement(tagName);
    if (text !== undefined && text !== null) element.textContent = text;
    if (className) element.className = className;
    return element;
  }

  function incidentLink(id, text) {
    var link = el("a", text);
    link.href = "/incidents/" + encodeURIComponent(id);
    return link;
  }

  function typeOf(data, name) {
    return data.types[name] || { label: name, colour: "#7a7f85", context: false };
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function pointPopup(data, point) {
    var box = el("div", null, "map-popup");
    box.appendChild(el("strong", point.summary || typeOf(data, point.type).label));
    var place = point.place + (point.role ? " (" + point.role + ")" : "");
    box.appendChild(el("div", typeOf(data, point.type).label + " · " + place));
    box.appendChild(el("div", point.when || "undated", "note"));
    box.appendChild(el("div", "certainty: " + (point.certainty || "not stated"), "note"));
    if (typeof point.sources === "number") {
      box.appendChild(el("div", plural(point.sources, "independent source", "independent sources"), "note"));
    }
    box.appendChild(incidentLink(point.incident_id, "Evidence and review →"));
    return box;
  }

  function memberList(data, members) {
    var box = el("div", null, "map-popup");
    box.appendChild(el("strong", plural(members.length, "incident", "incidents") + " here"));
    var list = el("ul", null, "popup-list");
    members.slice(0, MAX_POPUP_ITEMS).forEach(function (point) {
      var item = el("li");
      item.appendChild(incidentLink(point.incident_id, point.summary || typeOf(data, point.type).label));
      item.appendChild(el("span", " " + (point.when || "undated"), "note"));
      list.appendChild(item);
    });
    box.appendChild(list);
    if (members.length > MAX_POPUP_ITEMS) {
      box.appendChild(el("div", "and " + (members.length - MAX_POPUP_ITEMS) + " more: zoom in or use the list", "note"));
    }
    return box;
  }

  function pointIcon(data, point) {
    var style = typeOf(data, point.type);
    var dot = el("span", null, "point-dot" + (style.context ? " context" : ""));
    // CSSOM, not a style attribute: the CSP forbids inline styles but not scripted ones.
    if (style.context) {
      dot.style.borderColor = style.colour;
    } else {
      dot.style.backgroundColor = style.colour;
    }
    return L.divIcon({ html: dot, className: "point-icon", iconSize: [16, 16], iconAnchor: [8, 8] });
  }

  function clusterIcon(members) {
    var size = members.length < 10 ? 28 : members.length < 100 ? 34 : 42;
    var badge = el("span", String(members.length), "cluster-badge");
    return L.divIcon({ html: badge, className: "cluster-icon", iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
  }

  function typeBreakdown(data, members) {
    var counts = {};
    members.forEach(function (point) {
      counts[point.type] = (counts[point.type] || 0) + 1;
    });
    return Object.keys(counts)
      .sort(function (a, b) { return counts[b] - counts[a]; })
      .map(function (name) { return counts[name] + " " + typeOf(data, name).label; })
      .join(", ");
  }

  function samePlace(members) {
    var first = members[0];
    return members.every(function (point) {
      return Math.abs(point.lat - first.lat) < 1e-4 && Math.abs(point.lon - first.lon) < 1e-4;
    });
  }

  function centreOf(map, members, zoom) {
    var x = 0;
    var y = 0;
    members.forEach(function (point) {
      var pixel = map.project([point.lat, point.lon], zoom);
      x += pixel.x;
      y += pixel.y;
    });
    return L.point(x / members.length, y / members.length);
  }

  /* Grid clustering: every point falls in a CELL_PIXELS square of the projected map at this zoom. */
  function drawPoints(map, data, points, group) {
    group.clearLayers();
    var zoom = map.getZoom();
    var cells = {};
    var order = [];
    points.forEach(function (point) {
      var pixel = map.project([point.lat, point.lon], zoom);
      var key = Math.floor(pixel.x / CELL_PIXELS) + ":" + Math.floor(pixel.y / CELL_PIXELS);
      if (!cells[key]) {
        cells[key] = [];
        order.push(key);
      }
      cells[key].push(point);
    });
    // Neighbouring cells can hold points a few pixels apart: merge groups whose centres are
    // closer than a marker's width, so no cluster hides under another.
    var groups = [];
    order.forEach(function (key) {
      var members = cells[key];
      var centre = centreOf(map, members, zoom);
      var near = groups.find(function (other) { return other.centre.distanceTo(centre) < CELL_PIXELS * 0.8; });
      if (near) {
        near.members = near.members.concat(members);
        near.centre = centreOf(map, near.members, zoom);
      } else {
        groups.push({ members: members, centre: centre });
      }
    });
    var clusters = 0;
    groups.forEach(function (found) {
      var members = found.members;
      if (members.length === 1) {
        var point = members[0];
        var marker = L.marker([point.lat, point.lon], { icon: pointIcon(data, point), alt: point.place, keyboard: true });
        marker.bindTooltip(el("span", point.place + ": " + (point.summary || "")), { direction: "top", offset: [0, -6] });
        marker.bindPopup(pointPopup(data, point), { maxWidth: 320 });
        marker.addTo(group);
        return;
      }
      clusters += 1;
      var lat = 0;
      var lon = 0;
      members.forEach(function (member) { lat += member.lat; lon += member.lon; });
      var cluster = L.marker([lat / members.length, lon / members.length], {
        icon: clusterIcon(members),
        alt: members.length + " incidents",
        keyboard: true,
        riseOnHover: true,
      });
      cluster.bindTooltip(el("span", members.length + " incidents: " + typeBreakdown(data, members)), { direction: "top" });
      if (samePlace(members) || zoom >= map.getMaxZoom()) {
        cluster.bindPopup(memberList(data, members), { maxWidth: 340 });
      } else {
        cluster.on("click keypress", function (event) {
          if (event.type === "keypress" && event.originalEvent && event.originalEvent.key !== "Enter") return;
          var bounds = L.latLngBounds(members.map(function (member) { return [member.lat, member.lon]; }));
          map.fitBounds(bounds, { padding: [40, 40], maxZoom: Math.min(zoom + 4, map.getMaxZoom()) });
        });
      }
      cluster.addTo(group);
    });
    map.getContainer().setAttribute("data-cluster-count", String(clusters));
  }

  function bucketColour(data, count) {
    var colour = null;
    (data.buckets || []).forEach(function (bucket) {
      if (count >= bucket.low && (bucket.high === null || count <= bucket.high)) colour = bucket.colour;
    });
    return colour || "#b3301b";
  }

  function areaPopup(area, noun) {
    var box = el("div", null, "map-popup");
    box.appendChild(el("strong", area.label));
    box.appendChild(el("div", plural(area.count, "incident", "incidents") + " known only at " + noun + " level", "note"));
    if (area.samples && area.samples.length) {
      var list = el("ul", null, "popup-list");
      area.samples.forEach(function (sample) {
        var item = el("li");
        item.appendChild(incidentLink(sample.incident_id, sample.summary));
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    if (area.href) {
      var all = el("a", "Filter the list to " + area.label + " →");
      all.href = area.href;
      box.appendChild(all);
    }
    return box;
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + " " + response.status);
      return response.json();
    });
  }

  function drawMap(element) {
    var dataElement = document.getElementById(element.getAttribute("data-map"));
    var data = dataElement ? JSON.parse(dataElement.textContent) : { points: [], areas: [], types: {} };
    var map = L.map(element, {
      minZoom: 1,
      maxZoom: 10,
      worldCopyJump: false,
      maxBounds: [[-85, -200], [85, 200]],
      maxBoundsViscosity: 1.0,
      zoomSnap: 0.5,
    });
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Natural Earth");
    map.createPane("seas").style.zIndex = 350;

    var points = (data.points || []).filter(isPlottable);
    var countryAreas = {};
    var seaAreas = {};
    (data.areas || []).forEach(function (area) {
      (area.kind === "country" ? countryAreas : seaAreas)[area.code] = area;
    });
    element.setAttribute("data-point-count", String(points.length));

    var pointGroup = L.layerGroup().addTo(map);
    var shaded = [];
    var focusBounds = null;

    function extendFocus(bounds) {
      focusBounds = focusBounds ? focusBounds.extend(bounds) : L.latLngBounds(bounds.getSouthWest(), bounds.getNorthEast());
    }

    var basemap = fetchJson(element.getAttribute("data-basemap")).then(function (geojson) {
      L.geoJSON(geojson, {
        style: function (feature) {
          var area = countryAreas[feature.properties.iso];
          if (!area) return LAND;
          return { color: "#6b5a4a", weight: 0.8, fillColor: bucketColour(data, area.count), fillOpacity: 1, className: "shaded-area" };
        },
        interactive: true,
        onEachFeature: function (feature, layer) {
          var area = countryAreas[feature.properties.iso];
          if (!area) {
            layer.options.interactive = false;
            return;
          }
          shaded.push(area.code);
          layer.bindTooltip(el("span", area.label + ": " + plural(area.count, "incident", "incidents") + " at country level"), { sticky: true });
          layer.bindPopup(areaPopup(area, "country"), { maxWidth: 340 });
          extendFocus(layer.getBounds());
        },
      }).addTo(map);
    });

    var seas = Object.keys(seaAreas).length
      ? fetchJson(element.getAttribute("data-seas")).then(function (geojson) {
          L.geoJSON(geojson, {
            pane: "seas",
            filter: function (feature) { return Boolean(seaAreas[feature.properties.name]); },
            style: function (feature) {
              var area = seaAreas[feature.properties.name];
              return { color: "#6b5a4a", weight: 0.8, dashArray: "3 3", fillColor: bucketColour(data, area.count), fillOpacity: 0.85, className: "shaded-area" };
            },
            onEachFeature: function (feature, layer) {
              var area = seaAreas[feature.properties.name];
              shaded.push(area.code);
              layer.bindTooltip(el("span", area.label + ": " + plural(area.count, "incident", "incidents") + " at sea level"), { sticky: true });
              layer.bindPopup(areaPopup(area, "sea"), { maxWidth: 340 });
              extendFocus(layer.getBounds());
            },
          }).addTo(map);
        })
      : Promise.resolve();

    if (points.length) {
      map.fitBounds(L.latLngBounds(points.map(function (point) { return [point.lat, point.lon]; })), { padding: [30, 30], maxZoom: 5, animate: false });
    } else {
      map.setView(DEFAULT_CENTER, DEFAULT_ZOOM);
    }
    drawPoints(map, data, points, pointGroup);
    map.on("zoomend", function () { drawPoints(map, data, points, pointGroup); });

    Promise.all([
      basemap.catch(function () {
        // The points still work without outlines; say so instead of failing silently.
        element.classList.add("basemap-missing");
      }),
      seas.catch(function () { element.classList.add("seas-missing"); }),
    ]).then(function () {
      // The first view holds every point and every shaded area (an incident page without a
      // point: its areas alone), so nothing drawn starts off screen.
      var bounds = focusBounds;
      if (!data.focus && points.length) {
        var pointBounds = L.latLngBounds(points.map(function (point) { return [point.lat, point.lon]; }));
        bounds = bounds ? bounds.extend(pointBounds) : pointBounds;
      }
      if (bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 5, animate: false });
      element.setAttribute("data-area-count", String(shaded.length));
      element.setAttribute("data-ready", "true");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") return;
    Array.prototype.forEach.call(document.querySelectorAll("div.map[data-map]"), drawMap);
  });
})();
