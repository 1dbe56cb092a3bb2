// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var nav = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  var large = document.querySelector(".large-text-toggle");
  var root = document.documentElement;
  function applyLarge(on) {
    root.classList.toggle("large-text", on);
    if (large) { large.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  try { applyLarge(window.localStorage.getItem("gongkai-large-text") === "1"); } catch (e) { /* storage blocked */ }
  if (large) {
    large.addEventListener("click", function () {
      var on = !root.classList.contains("large-text");
      applyLarge(on);
      try { window.localStorage.setItem("gongkai-large-text", on ? "1" : "0"); } catch (e) { /* ignore */ }
    });
  }
})();
