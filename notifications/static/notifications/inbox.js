// The inbox's reply box: a quick answer fills it (and its SMS cost follows, through htmx).
(function () {
  "use strict";
  document.querySelectorAll("[data-quick]").forEach(function (button) {
    button.addEventListener("click", function () {
      var box = document.getElementById("answer-body");
      if (!box) return;
      box.value = button.dataset.quick;
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.focus();
    });
  });
})();
