// Local page behaviour: drag and drop, severity filter, downloads as Blob URLs. No network.
(function () {
  "use strict";
  var input = document.getElementById("file");
  var drop = document.getElementById("drop");
  var chosen = document.getElementById("chosen");
  function show() {
    chosen.textContent = input.files && input.files.length ? "已选择：" + input.files[0].name : "";
  }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (type) {
    drop.addEventListener(type, function (event) { event.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    drop.addEventListener(type, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show();
    }
  });
  document.getElementById("upload").addEventListener("submit", function (event) {
    if (!input.files || !input.files.length) {
      event.preventDefault();
      chosen.textContent = "请先选择文件";
    } else {
      document.getElementById("submit").textContent = "正在检查…";
    }
  });
  // A highlight's explanation opens below it; near the right edge it is moved left so that it stays
  // inside the text pane (never clipped, no sideways scrolling).
  function placeTip(mark) {
    var pane = mark.closest ? mark.closest("pre.text") : null;
    if (!pane) { return; }
    var width = Math.min(384, pane.clientWidth - 16);
    var box = pane.getBoundingClientRect();
    var first = mark.getClientRects()[0] || mark.getBoundingClientRect();
    var left = first.left - box.left;
    var over = left + width - (pane.clientWidth - 8);
    mark.style.setProperty("--tip-width", width + "px");
    mark.style.setProperty("--tip-shift", (over > 0 ? -Math.min(over, left) : 0) + "px");
  }
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.tagName === "MARK") { placeTip(event.target); }
  });
  function placeTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id ? document.getElementById(id) : null;
    if (target && target.tagName === "MARK") { placeTip(target); }
  }
  window.addEventListener("hashchange", placeTarget);
  placeTarget();
  var filter = document.getElementById("filter");
  if (filter) {
    filter.addEventListener("change", function (event) {
      var box = event.target;
      document.body.classList.toggle("hide-" + box.value, !box.checked);
    });
  }
  // Large data: URIs can be refused by the browser; turn them into Blob URLs.
  Array.prototype.forEach.call(document.querySelectorAll("a.download"), function (link) {
    var href = link.getAttribute("href");
    var comma = href.indexOf(",");
    var type = href.slice(5, href.indexOf(";"));
    var bytes = atob(href.slice(comma + 1));
    var buffer = new Uint8Array(bytes.length);
    for (var i = 0; i < bytes.length; i++) { buffer[i] = bytes.charCodeAt(i); }
    link.setAttribute("href", URL.createObjectURL(new Blob([buffer], { type: type })));
  });
})();
