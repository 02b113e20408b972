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
  // A size chip (or any link to a size) opens that size's panel, not just scrolls to it.
  function openSize(hash) {
    if (!hash || hash.indexOf("#size-") !== 0) return;
    var target = document.getElementById(hash.slice(1));
    if (target && target.tagName === "DETAILS") target.open = true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#size-']");
    if (link) openSize(link.getAttribute("href"));
  });
  openSize(window.location.hash);
  window.addEventListener("hashchange", function () { openSize(window.location.hash); });

  // Review videos: a facade until pressed, so the video host sees nothing before the click;
  // the click swaps in the privacy-enhanced player, already playing.
  document.addEventListener("click", function (event) {
    var play = event.target.closest && event.target.closest("a[data-embed-src]");
    if (!play) return;
    event.preventDefault();
    var src = play.getAttribute("data-embed-src");
    var frame = document.createElement("iframe");
    frame.src = src + (src.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
    frame.title = play.getAttribute("data-embed-title") || "";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    var box = play.parentNode;
    box.replaceChild(frame, play);
    box.classList.add("video-facade--playing");
    frame.focus();
  });
})();
