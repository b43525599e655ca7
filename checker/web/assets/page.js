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
