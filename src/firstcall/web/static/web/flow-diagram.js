// Draws the call's flow with bpmn-js and marks the visited steps and the current one; the marks
// follow every swap of the flow panel.
(function () {
  function marks(viewer) {
    const state = document.querySelector("[data-testid=flow-state]");
    if (!state) return;
    const canvas = viewer.get("canvas");
    const registry = viewer.get("elementRegistry");
    registry.getAll().forEach(function (el) {
      canvas.removeMarker(el.id, "fc-visited");
      canvas.removeMarker(el.id, "fc-current");
    });
    (state.dataset.visited || "").split(" ").filter(Boolean).forEach(function (id) {
      if (registry.get(id)) canvas.addMarker(id, "fc-visited");
    });
    if (state.dataset.current && registry.get(state.dataset.current)) {
      canvas.addMarker(state.dataset.current, "fc-current");
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    const box = document.getElementById("flow-diagram");
    if (!box || !window.BpmnJS) return;
    const viewer = new window.BpmnJS({ container: box });
    fetch(box.dataset.src, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        viewer.get("canvas").zoom("fit-viewport");
        box.dataset.ready = "true";
        marks(viewer);
      });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.target.id === "panel-flow" && box.dataset.ready) marks(viewer);
    });
  });
})();
