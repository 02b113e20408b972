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

  // The search box's suggestions (htmx fills the listbox as the customer types): a combobox,
  // the arrow keys move through the models, Enter opens the one chosen, Escape closes the list.
  // Without JavaScript the box is a plain search.
  var box = document.getElementById("site-search");
  var list = document.getElementById("site-search-suggestions");
  if (box && list) {
    var options = function () { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); };
    var active = -1;
    var choose = function (index) {
      var all = options();
      active = all.length ? (index + all.length) % all.length : -1;
      all.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
      if (active >= 0) {
        box.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    };
    var close = function () {
      list.hidden = true;
      box.setAttribute("aria-expanded", "false");
      choose(-1);
    };
    list.addEventListener("htmx:afterSwap", function () {
      var any = options().length > 0;
      list.hidden = !any;
      box.setAttribute("aria-expanded", any ? "true" : "false");
      active = -1;
      box.removeAttribute("aria-activedescendant");
    });
    box.addEventListener("keydown", function (event) {
      var open = box.getAttribute("aria-expanded") === "true";
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options().length) return;
        event.preventDefault();
        list.hidden = false;
        box.setAttribute("aria-expanded", "true");
        choose(event.key === "ArrowDown" ? active + 1 : (active < 0 ? -1 : active - 1));
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        window.location.assign(options()[active].querySelector("a").href);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    box.addEventListener("blur", function () { window.setTimeout(close, 200); });
    box.addEventListener("focus", function () {
      if (options().length) { list.hidden = false; box.setAttribute("aria-expanded", "true"); }
    });
  }
})();
