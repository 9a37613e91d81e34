// Starts ReDoc on the API documentation page (templates/api/redoc.html). No inline script: CSP allows 'self' only.
// The nonce lets ReDoc's run-time <style> elements through style-src on this page alone.
(function () {
  "use strict";
  var container = document.getElementById("redoc-container");
  Redoc.init(container.dataset.schemaUrl, { nonce: container.dataset.nonce }, container);
})();
