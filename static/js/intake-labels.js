/* The admin's autocomplete widgets (select2) name their combobox after the option shown, so an empty one has
   no name, and a multiple one's search box none at all: give each the label of the <select> it stands for. */
"use strict";
django.jQuery(function ($) {
  function label(select) {
    var element = select.id && document.querySelector('label[for="' + select.id + '"]');
    return element ? element.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function name(select) {
    var text = label(select);
    var container = $(select).next(".select2");
    if (!text || !container.length) {
      return;
    }
    container.find('[role="combobox"], [role="textbox"], .select2-search__field').each(function () {
      this.removeAttribute("aria-labelledby");
      this.setAttribute("aria-label", text);
    });
  }

  $("select.admin-autocomplete").each(function () {
    var select = this;
    name(select);
    // select2 draws a multiple widget's search box anew at every change.
    $(select).on("change select2:select select2:unselect select2:close", function () {
      name(select);
    });
  });
});
