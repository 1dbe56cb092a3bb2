// Batch progress: poll the JSON endpoint while the batch is being checked, then reload the
// page to show the results. The page works without it (the status is also in the HTML).
(function () {
  "use strict";
  var box = document.getElementById("batch-progress");
  if (!box || box.getAttribute("data-working") !== "1") { return; }
  var url = box.getAttribute("data-progress-url");
  var bar = document.getElementById("progress-bar");
  var done = document.getElementById("progress-done");
  var total = document.getElementById("progress-total");
  var text = document.getElementById("progress-text");
  var status = document.getElementById("batch-status");
  var delay = 1000;
  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) { retry(); return; }
      var data;
      try { data = JSON.parse(request.responseText); } catch (e) { retry(); return; }
      bar.value = data.percent;
      bar.textContent = data.percent + "%";
      done.textContent = data.done;
      total.textContent = data.total;
      status.textContent = data.status_label;
      if (data.finished) {
        text.textContent = "检查完成，正在刷新结果……";
        window.location.reload();
        return;
      }
      delay = 1000;
      window.setTimeout(poll, delay);
    };
    request.onerror = retry;
    request.send();
  }
  function retry() {
    delay = Math.min(delay * 1.5, 5000);
    window.setTimeout(poll, delay);
  }
  window.setTimeout(poll, delay);
})();
