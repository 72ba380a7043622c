// Task forms: a field required only for one choice (camunda constraint required_if) is shown
// only when that choice is made, and a decision step's button is named after the choice.
// Without JavaScript every field stays visible and the button keeps its neutral name; the
// engine checks the form either way.
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
  // A decision step's button says what it does: the chosen option's name ("Setujui dan
  // tandatangani", "Kembalikan untuk perbaikan"), so choosing and pressing it is one act.
  function labelButton(button) {
    var source = document.getElementById(button.getAttribute("data-label-from"));
    if (!source) { return; }
    var fallback = button.getAttribute("data-fallback") || button.textContent;
    button.setAttribute("data-fallback", fallback);
    var chosen = source.options[source.selectedIndex];
    button.textContent = chosen && chosen.value ? chosen.text : fallback;
  }
  function init() {
    Array.prototype.slice.call(document.querySelectorAll("[data-label-from]")).forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-label-from"));
      if (source) {
        source.addEventListener("change", function () { labelButton(button); });
      }
      labelButton(button);
    });
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
