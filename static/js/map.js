// Draws every .map element: Natural Earth country outlines, rivers, lakes and towns
// (served from this server), optional tiles when the deployment sets MAP_TILE_URL, and the sites
// given as JSON in the <script type="application/json"> the element names (data-points) or fetched from
// the address it gives (data-points-url: the map page's points, with its caption), coloured by risk and
// clustered on large maps. No inline script: CSP allows 'self' only.
(function () {
  "use strict";

  var RISK_ORDER = ["unknown", "low", "moderate", "high", "critical"];
  var RISK_COLOURS = {
    critical: "#8b0000",
    high: "#d4351c",
    moderate: "#b36200",
    low: "#00703c",
    unknown: "#505a5f"
  };

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) { return response.json(); });
  }

  function outlines(map, url) {
    getJSON(url)
      .then(function (data) {
        L.geoJSON(data, {
          pane: "land",
          interactive: false,
          style: { color: "#6f777b", weight: 1, fillColor: "#f3f2f1", fillOpacity: 1 }
        }).addTo(map);
      })
      .catch(function () { /* the markers still work without outlines */ });
  }

  // Rivers, lakes and towns from Natural Earth 1:10m (static/basemap/README.txt), each shown from the zoom
  // Natural Earth gives it (min_zoom), under the sites: land, then water and towns, then the sites' own markers
  // (overlayPane, 400) and names (tooltipPane, 650). On an Arabic page a feature is named in Arabic where
  // Natural Earth gives an Arabic name (name_ar), else in English; on a page in another language the English names
  // say they are English, as untranslated vocabulary labels do.
  var RIVER_COLOUR = "#3f7fb5";

  // The name a feature is shown by on this page: {text, lang}.
  function contextName(properties) {
    var page = document.documentElement.lang;
    if (page === "ar" && properties.name_ar) { return { text: properties.name_ar, lang: "ar" }; }
    return { text: properties.name || "", lang: "en" };
  }

  function labelText(name) {
    var span = document.createElement("span");
    span.textContent = name.text;
    if (name.lang !== document.documentElement.lang) {
      span.lang = name.lang;
      span.dir = name.lang === "ar" ? "rtl" : "ltr";
    }
    return span;
  }

  // A town's name beside its dot; a river's name on the river.
  function contextLabel(latlng, text, className, direction) {
    return L.tooltip({
      permanent: true, direction: direction, offset: direction === "right" ? [4, 0] : [0, 0], pane: "contextLabels",
      className: className, interactive: false
    }).setLatLng(latlng).setContent(labelText(text));
  }

  // Each feature's layer is on the map while the zoom is at least its min_zoom.
  function byZoom(map, items) {
    function follow() {
      var zoom = map.getZoom();
      items.forEach(function (item) {
        if (zoom >= item.minZoom) { item.layer.addTo(map); } else { item.layer.remove(); }
      });
    }
    map.on("zoomend", follow);
    follow();
  }

  function water(map, rivers, lakes) {
    byZoom(map, lakes.features.map(function (feature) {
      return {
        minZoom: feature.properties.min_zoom,
        layer: L.geoJSON(feature, {
          pane: "context", interactive: false,
          style: { stroke: false, fillColor: "#a9cbe3", fillOpacity: 1 }
        })
      };
    }));
    var riverLayers = rivers.features.map(function (feature) {
      return {
        minZoom: feature.properties.min_zoom,
        feature: feature,
        layer: L.geoJSON(feature, {
          pane: "context", interactive: false,
          style: { color: RIVER_COLOUR, weight: feature.properties.min_zoom <= 4 ? 2.5 : 1.5, opacity: 0.9 }
        })
      };
    });
    byZoom(map, riverLayers);
    return riverLayers;
  }

  // A river's name once per view, on the middle of its points in view, so a long river is named wherever the
  // map looks at it.
  function riverLabels(map, riverLayers) {
    var group = L.layerGroup().addTo(map);
    var bounds = map.getBounds().pad(-0.1);
    var zoom = map.getZoom();
    // By the name shown: in Arabic the Euphrates is one name (الفرات) where Natural Earth's English changes at
    // borders ("Firat", "Al Furat", "Euphrates"), so it is named once.
    var byName = {};
    riverLayers.forEach(function (item) {
      var name = contextName(item.feature.properties);
      if (!name.text || zoom < item.minZoom) { return; }
      item.feature.geometry.coordinates.forEach(function (line) {
        var inView = line.filter(function (point) { return bounds.contains([point[1], point[0]]); });
        var best = byName[name.text];
        if (!best || inView.length > best.points.length) { byName[name.text] = { name: name, points: inView }; }
      });
    });
    Object.keys(byName).forEach(function (text) {
      var points = byName[text].points;
      if (!points.length) { return; }
      var middle = points[Math.floor(points.length / 2)];
      group.addLayer(contextLabel([middle[1], middle[0]], byName[text].name, "context-label river-label", "center"));
    });
    return group;
  }

  // The towns' names, largest town first (the order of the file), for declutter() to place.
  function towns(map, places) {
    var names = [];
    byZoom(map, places.features.map(function (feature) {
      var latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      var capital = feature.properties.capital;
      var name = contextLabel(latlng, contextName(feature.properties), "context-label place-label" + (capital ? " capital" : ""), "right");
      names.push(name);
      return {
        minZoom: feature.properties.min_zoom,
        layer: L.layerGroup([
          L.circleMarker(latlng, {
            pane: "context", interactive: false, radius: capital ? 4 : 3,
            color: "#ffffff", weight: 1, fillColor: "#0b0c0c", fillOpacity: 1
          }),
          name
        ])
      };
    }));
    return names;
  }

  // Leaflet's update() also shows the name again: callers hide it after, if they must.
  function turn(tooltip, direction) {
    if (tooltip.options.direction === direction) { return; }
    tooltip.options.direction = direction;
    tooltip.options.offset = direction === "right" ? [4, 0] : [-4, 0];
    tooltip.update();
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // Where names would overlap, the page's own site wins, then the other sites, then towns (largest first), then
  // rivers; no town or river name covers a site's marker, and a town's name that would goes to the dot's other
  // side if there is room there. A hidden name comes back when the view changes and there is room for it.
  function declutter(element, townNames) {
    var taken = [];
    function fits(label) {
      var box = label.getBoundingClientRect();
      return !taken.some(function (other) { return overlaps(box, other); });
    }
    function place(label) {
      label.style.visibility = "";
      if (fits(label)) { taken.push(label.getBoundingClientRect()); return true; }
      label.style.visibility = "hidden";
      return false;
    }
    // Leaflet fades a removed name out and takes it from the page 200 ms later: it takes no room.
    function shown(selector) {
      return Array.prototype.filter.call(element.querySelectorAll(selector), function (label) {
        return label.style.opacity !== "0";
      });
    }
    shown(".site-label.current").concat(shown(".site-label:not(.current)")).forEach(place);
    Array.prototype.forEach.call(element.querySelectorAll(".site-marker, .site-cluster"), function (marker) {
      taken.push(marker.getBoundingClientRect());
    });
    townNames.forEach(function (tooltip) {
      var label = tooltip.getElement();
      if (!tooltip.isOpen() || !label) { return; }
      turn(tooltip, "right");
      if (!fits(label)) { turn(tooltip, "left"); }
      if (!place(label)) {
        turn(tooltip, "right");
        label.style.visibility = "hidden";
      }
    });
    shown(".river-label").forEach(place);
  }

  function context(map, element) {
    Promise.all([element.dataset.rivers, element.dataset.lakes, element.dataset.places].map(getJSON))
      .then(function (layers) {
        var riverLayers = water(map, layers[0], layers[1]);
        var townNames = towns(map, layers[2]);
        var names = riverLabels(map, riverLayers);
        function refresh() {
          names.remove();
          names = riverLabels(map, riverLayers);
          declutter(element, townNames);
        }
        map.on("moveend", refresh);
        refresh();
        element.dataset.context = "ready";
      })
      .catch(function () { /* the outlines and markers still work without context */ });
  }

  // A cluster takes the colour of the most endangered site in it.
  function clusterIcon(cluster) {
    var worst = 0;
    cluster.getAllChildMarkers().forEach(function (child) {
      worst = Math.max(worst, RISK_ORDER.indexOf(child.options.risk));
    });
    var count = document.createElement("span");
    count.textContent = cluster.getChildCount();
    return L.divIcon({
      html: count.outerHTML,
      className: "site-cluster risk-" + RISK_ORDER[worst],
      iconSize: L.point(36, 36)
    });
  }

  // The words of tooltips and attribution come from the page, in its language (includes/map.html).
  function marker(point, words) {
    var circle = L.circleMarker([point.lat, point.lon], {
      risk: point.risk,
      radius: point.current ? 11 : 8,
      color: point.current ? "#0b0c0c" : "#ffffff",
      weight: point.current ? 3 : 2,
      fillColor: RISK_COLOURS[point.risk] || RISK_COLOURS.unknown,
      fillOpacity: 0.95,
      className: "site-marker risk-" + point.risk
    });
    circle.bindTooltip(point.name + " · " + words.risk + " " + point.risk_label + (point.current ? " " + words.current : ""));
    // Clicking a site opens its page; keyboard users have the site list.
    circle.on("click", function () { window.location.href = point.url; });
    return circle;
  }

  // Zoomed in this far, a site's own map names the places on it: without tiles, the outlines alone would leave
  // an empty view (a site's map opens at zoom 14, inside one country's outline).
  var LABEL_ZOOM = 12;

  // A site's name runs in its own script's direction inside the left-to-right map, whatever the page's language.
  function siteName(text) {
    var span = document.createElement("span");
    span.textContent = text;
    span.dir = "auto";
    return span;
  }

  function nameLabels(map, points) {
    var labels = L.layerGroup(points.map(function (point) {
      return L.tooltip({
        permanent: true, direction: "right", offset: [10, 0], className: "site-label" + (point.current ? " current" : ""), interactive: false
      })
        .setLatLng([point.lat, point.lon])
        .setContent(siteName(point.name));
    }));
    function follow() {
      if (map.getZoom() >= LABEL_ZOOM) { labels.addTo(map); } else { labels.remove(); }
    }
    map.on("zoomend", follow);
    follow();
  }

  // Leaflet's scale bar, its units in the page's language (includes/map.html gives them: "km", "كم").
  function scaleBar(element) {
    var scale = L.control.scale({ imperial: false, maxWidth: 160 });
    var km = element.dataset.textKm || "km";
    var m = element.dataset.textM || "m";
    // As Leaflet's own _updateMetric (1.9), with the units' words from the page.
    scale._updateMetric = function (maxMeters) {
      var meters = this._getRoundNum(maxMeters);
      var label = meters < 1000 ? meters + " " + m : (meters / 1000) + " " + km;
      this._updateScale(this._mScale, label, meters / maxMeters);
    };
    return scale;
  }

  function draw(element, points) {
    var map = L.map(element, { worldCopyJump: true, minZoom: 2, maxZoom: 18 });
    map.attributionControl.setPrefix(false);
    scaleBar(element).addTo(map);
    map.createPane("land").style.zIndex = 300;
    map.createPane("context").style.zIndex = 350;
    map.createPane("contextLabels").style.zIndex = 380;
    if (element.dataset.tiles) {
      map.attributionControl.addAttribution(element.dataset.textOutlines);
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution || "", maxZoom: 19 }).addTo(map);
    } else {
      // One short credit for outlines, water and towns: on a narrow map a longer one covers the scale.
      map.attributionControl.addAttribution(element.dataset.textBasemap);
      outlines(map, element.dataset.outlines);
      context(map, element);
    }
    var layer = element.dataset.cluster
      ? L.markerClusterGroup({ maxClusterRadius: 40, iconCreateFunction: clusterIcon })
      : L.featureGroup();
    var words = { risk: element.dataset.textRisk, current: element.dataset.textCurrent };
    points.forEach(function (point) { layer.addLayer(marker(point, words)); });
    layer.addTo(map);
    var current = points.filter(function (point) { return point.current; })[0];
    if (current) {
      // A site's own map centres on it; its parts and neighbours are around it.
      map.setView([current.lat, current.lon], Number(element.dataset.zoom || 14));
    } else if (points.length === 1) {
      map.setView([points[0].lat, points[0].lon], Number(element.dataset.zoom || 14));
    } else if (points.length > 1) {
      map.fitBounds(layer.getBounds(), { padding: [40, 40], maxZoom: 15 });
    } else {
      map.setView([34.5, 38.3], 5);
    }
    if (!element.dataset.cluster) { nameLabels(map, points); }
    // The zoom the reader sees, for the browser tests (heritage/tests/test_map_context_browser.py).
    element.dataset.zoomNow = String(map.getZoom());
    map.on("zoomend", function () { element.dataset.zoomNow = String(map.getZoom()); });
    element.dataset.ready = String(points.length);
  }

  function load(element) {
    if (!element.dataset.pointsUrl) {
      draw(element, JSON.parse(document.getElementById(element.dataset.points).textContent));
      return;
    }
    getJSON(element.dataset.pointsUrl).then(function (data) {
      document.getElementById(element.dataset.caption).textContent = data.caption;
      draw(element, data.points);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".map[data-points], .map[data-points-url]"), load);
  });
})();
