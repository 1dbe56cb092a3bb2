// 依申请公开: small progressive enhancements (every form works without JavaScript).
(function () {
  "use strict";
  // Show the natural-person or the organisation fields of the applicant form.
  var radios = document.querySelectorAll('input[name="applicant_type"]');
  function sync() {
    var chosen = document.querySelector('input[name="applicant_type"]:checked');
    var value = chosen ? chosen.value : "";
    document.querySelectorAll(".applicant-part").forEach(function (part) {
      part.hidden = value !== "" && part.getAttribute("data-applicant") !== value;
    });
  }
  radios.forEach(function (r) { r.addEventListener("change", sync); });
  if (radios.length) { sync(); }
  // Ask before an action that cannot be undone.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });
})();
