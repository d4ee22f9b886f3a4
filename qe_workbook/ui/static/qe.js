// The page's only script (shipped in the package, nothing fetched): drag-and-drop into the upload
// form, and a job's progress bar, polled until the job is done, then the page is reloaded.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var drop = document.getElementById("drop");
  var input = document.getElementById("files");
  if (drop && input) {
    var chosen = document.createElement("p");
    chosen.id = "chosen";
    drop.insertAdjacentElement("afterend", chosen);
    var show = function () {
      var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
      chosen.textContent = names.length ? "已选择 " + names.length + " 个文件：" + names.join("、") : "";
    };
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (type) {
      drop.addEventListener(type, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      drop.addEventListener(type, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        show();
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".chosen-name"), function (span) {
    var picker = document.getElementById(span.dataset.for);
    picker.addEventListener("change", function () {
      span.textContent = picker.files.length ? "已选择：" + picker.files[0].name : "未选择";
    });
  });

  var job = document.querySelector("section.job");
  if (job) {
    var bar = document.getElementById("job-bar");
    var text = document.getElementById("job-text");
    var poll = function () {
      fetch(job.dataset.job, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (state) {
          bar.max = state.total || 1;
          bar.value = state.done;
          text.textContent = "正在进行，已完成 " + state.done + " / " + state.total + (state.current ? "：" + state.current : "");
          if (state.finished) {
            window.location.assign(state.then + (state.then.indexOf("?") < 0 ? "?" : "&") + "job=" + state.id);
          } else {
            window.setTimeout(poll, 400);
          }
        })
        .catch(function () { window.setTimeout(poll, 1000); });
    };
    poll();
  }
});
