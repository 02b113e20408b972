// Lets a visitor close the "did you find it?" prompt for good (remembered in this browser).
(function () {
  var key = "site-feedback-dismissed";
  document.querySelectorAll("[data-dismissible]").forEach(function (box) {
    try {
      if (window.localStorage.getItem(key)) { box.hidden = true; return; }
    } catch (e) { /* storage blocked: the prompt simply stays */ }
    var button = box.querySelector("[data-dismiss]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      box.hidden = true;
      try { window.localStorage.setItem(key, "1"); } catch (e) { /* ignore */ }
    });
  });
})();
