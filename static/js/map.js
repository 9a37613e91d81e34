// Draws every .map element: Natural Earth country outlines (served from this
// server), optional tiles when the deployment sets MAP_TILE_URL, and the sites
// given as JSON in the <script type="application/json"> the element names,
// coloured by risk and clustered on large maps. No inline script: CSP allows 'self' only.
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

  function outlines(map, url) {
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        L.geoJSON(data, {
          interactive: false,
          style: { color: "#6f777b", weight: 1, fillColor: "#f3f2f1", fillOpacity: 1 }
        }).addTo(map).bringToBack();
      })
      .catch(function () { /* the markers still work without outlines */ });
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

  function nameLabels(map, points) {
    var labels = L.layerGroup(points.map(function (point) {
      return L.tooltip({ permanent: true, direction: "right", offset: [10, 0], className: "site-label", interactive: false })
        .setLatLng([point.lat, point.lon])
        .setContent(point.name);
    }));
    function follow() {
      if (map.getZoom() >= LABEL_ZOOM) { labels.addTo(map); } else { labels.remove(); }
    }
    map.on("zoomend", follow);
    follow();
  }

  function draw(element) {
    var points = JSON.parse(document.getElementById(element.dataset.points).textContent);
    var map = L.map(element, { worldCopyJump: true, minZoom: 2, maxZoom: 18 });
    map.attributionControl.setPrefix(false);
    L.control.scale({ imperial: false, maxWidth: 160 }).addTo(map);
    map.attributionControl.addAttribution(element.dataset.textOutlines);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution || "", maxZoom: 19 }).addTo(map);
    } else {
      outlines(map, element.dataset.outlines);
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
    element.dataset.ready = String(points.length);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".map[data-points]"), draw);
  });
})();
