// The site page's table of contents (templates/sites/includes/page_toc.html) is open beside the page on
// wide screens and folded on narrow ones, where it would push the page down. No inline script: CSP.
(function () {
  "use strict";
  var toc = document.getElementById("page-toc");
  if (!toc) { return; }
  var wide = window.matchMedia("(min-width: 50.01rem)");
  function follow() { toc.open = wide.matches; }
  follow();
  wide.addEventListener("change", follow);
  // On a phone, following a link folds the table away again.
  toc.addEventListener("click", function (event) {
    if (!wide.matches && event.target.closest("a")) { toc.open = false; }
  });
})();
