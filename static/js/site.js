// Small progressive enhancements for the storefront; every page works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // On a wide screen the catalog filters are a sidebar, always open.
  var wide = window.matchMedia("(min-width: 60rem)");
  function syncFilters() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      if (wide.matches) details.open = true;
    });
  }
  syncFilters();
  wide.addEventListener("change", syncFilters);

  // Changing the sort order applies it at once.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
