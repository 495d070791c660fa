// The aligned view: a correction or a suggestion returns the page to its row (#g12, #suggested).
// The browser scrolls there but leaves the focus on the page itself, so keyboard and screen-reader
// users start again from the top; the row (or section) takes the focus instead.
(function () {
  "use strict";
  function focusTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target) return;
    if (!target.hasAttribute("tabindex") && target.tabIndex < 0) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusTarget);
  else focusTarget();
})();
