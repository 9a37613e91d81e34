/* Every admin page loads this (templates/admin/base_site.html).
   - Text fields take their direction from what is typed in them (dir="auto"): an English title in the Arabic
     admin, or an Arabic name in the English one, reads in its own direction.
   Accessible names the admin's widgets lack:
   - Autocomplete widgets (select2) name their combobox after the option shown, so an empty one has no name, and
     a multiple one's search box none at all: give each the label of the <select> it stands for.
   - A tabular inline labels its fields only by the column heading: give each field that heading, and its row. */
"use strict";
(function () {
  function labelText(select) {
    var element = select.id && document.querySelector('label[for="' + select.id + '"]');
    return element ? element.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function nameAutocomplete($, select) {
    var text = select.getAttribute("aria-label") || labelText(select);
    var container = $(select).next(".select2");
    if (!text || !container.length) {
      return;
    }
    container.find('[role="combobox"], [role="textbox"], .select2-search__field').each(function () {
      this.removeAttribute("aria-labelledby");
      this.setAttribute("aria-label", text);
    });
  }

  function suffixed(element, prefix) {
    var name = Array.prototype.find.call(element.classList, function (c) { return c.indexOf(prefix) === 0; });
    return name ? name.slice(prefix.length) : "";
  }

  function name(field, heading, row) {
    if (heading && (!field.labels || !field.labels.length)) {
      field.setAttribute("aria-label", heading + " (" + row + ")");
    }
  }

  function nameTabularFields() {
    document.querySelectorAll(".tabular table").forEach(function (table) {
      var headings = {};
      table.querySelectorAll("thead th[class*='column-']").forEach(function (th) {
        var text = th.cloneNode(true);
        text.querySelectorAll("img, .help").forEach(function (element) { element.remove(); });
        headings[suffixed(th, "column-")] = text.textContent.trim();
      });
      // The "Delete?" column, last, has no column-<name> class.
      var last = table.querySelector("thead tr th:last-child");
      table.querySelectorAll("tbody tr.form-row").forEach(function (row, index) {
        row.querySelectorAll("td[class*='field-']").forEach(function (cell) {
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
            name(field, headings[suffixed(cell, "field-")], index + 1);
          });
        });
        row.querySelectorAll("td.delete input[type=checkbox]").forEach(function (field) {
          name(field, last && last.textContent.trim(), index + 1);
        });
      });
    });
  }

  function followTyping() {
    document.querySelectorAll("input[type=text]:not([dir]), input[type=search]:not([dir]), textarea:not([dir])")
      .forEach(function (field) { field.setAttribute("dir", "auto"); });
  }

  // A deferred script: the page is parsed.
  followTyping();
  nameTabularFields();
  // Rows added with "Add another" are copies of the empty form: name them too.
  document.addEventListener("formset:added", function () {
    followTyping();
    nameTabularFields();
  });

  if (window.django && window.django.jQuery) {
    window.django.jQuery(function ($) {
      $("select.admin-autocomplete").each(function () {
        var select = this;
        nameAutocomplete($, select);
        // select2 draws a multiple widget's search box anew at every change.
        $(select).on("change select2:select select2:unselect select2:close", function () {
          nameAutocomplete($, select);
        });
      });
    });
  }
})();
