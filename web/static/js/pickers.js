// Pickers (web/pickers.py). The region picker lists only the chosen kecamatan's villages (and a
// village picked first sets its kecamatan); the table builder shows the values of the chosen
// filter only and the age grouping only with an age column. Without JavaScript every list stays
// whole and the server checks the combination either way.
(function () {
  "use strict";
  function regionPicker(box) {
    var kecamatan = box.querySelector("[data-part=kecamatan]");
    var desa = box.querySelector("[data-part=desa]");
    if (!kecamatan || !desa) { return; }
    var groups = Array.prototype.slice.call(desa.querySelectorAll("optgroup"));
    function kecamatanOf(code) {
      var found = groups.filter(function (g) { return g.querySelector("option[value='" + code + "']"); });
      return found.length ? found[0].getAttribute("data-kecamatan") : "";
    }
    function showVillages() {
      var chosen = kecamatan.value, keep = desa.value;
      groups.forEach(function (g) { if (g.parentNode) { g.parentNode.removeChild(g); } });
      groups.forEach(function (g) {
        if (!chosen || g.getAttribute("data-kecamatan") === chosen) { desa.appendChild(g); }
      });
      desa.value = keep && kecamatanOf(keep) === chosen ? keep : "";
    }
    kecamatan.addEventListener("change", showVillages);
    desa.addEventListener("change", function () {
      if (desa.value && !kecamatan.value) {
        kecamatan.value = kecamatanOf(desa.value);
        showVillages();
      }
    });
    if (kecamatan.value && (!desa.value || kecamatanOf(desa.value) === kecamatan.value)) { showVillages(); }
  }
  function tablePicker(box) {
    var filter = box.querySelector("[data-part=filter]");
    var columns = Array.prototype.slice.call(box.querySelectorAll("[data-part=kolom]"));
    var ages = box.querySelector("[data-needs-age]");
    var lists = Array.prototype.slice.call(box.querySelectorAll("[data-filter]"));
    function update() {
      lists.forEach(function (list) {
        list.hidden = list.getAttribute("data-filter") !== filter.value;
      });
      if (ages) {
        ages.hidden = !columns.some(function (c) { return c.value === "age_group"; });
      }
    }
    filter.addEventListener("change", update);
    columns.forEach(function (c) { c.addEventListener("change", update); });
    update();
  }
  function init() {
    Array.prototype.slice.call(document.querySelectorAll("[data-picker=wilayah]")).forEach(regionPicker);
    Array.prototype.slice.call(document.querySelectorAll("[data-picker=tabel]")).forEach(tablePicker);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
