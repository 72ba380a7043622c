// Task forms: a field required only for one choice (camunda constraint required_if) is shown
// only when that choice is made. Without JavaScript every field stays visible; the engine
// checks the form either way.
(function () {
  "use strict";
  function update(box) {
    var source = document.getElementById(box.getAttribute("data-show-if"));
    if (!source) { return; }
    var value = source.type === "checkbox" ? String(source.checked) : source.value;
    var wanted = box.getAttribute("data-show-values").split(" ");
    var shown = wanted.indexOf(String(value).toLowerCase()) !== -1 || box.querySelector(".error-text");
    box.hidden = !shown;
  }
  function init() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll("[data-show-if]"));
    boxes.forEach(function (box) {
      var source = document.getElementById(box.getAttribute("data-show-if"));
      if (source) {
        source.addEventListener("change", function () { boxes.forEach(update); });
      }
      update(box);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
