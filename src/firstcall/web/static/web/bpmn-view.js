// The back office's process diagram (workflows/ticket.html): the ticket's BPMN document laid out
// by flow-layout.js (ELK) and drawn by bpmn-js's viewer, the steps done and the sequence flows
// between them marked `fc-visited`, the current step(s) `fc-current`. The box says what to draw:
//   data-src      the BPMN document's URL
//   data-current  the BPMN ids of the ready tasks, space-separated
//   data-visited  the BPMN ids of the completed tasks, space-separated
// It sets data-ready="true" once drawn (data-failed="true" when it could not be).
(function () {
  "use strict";

  const FONT = "Arial, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";
  const TASK_FONT = 13;
  const LABEL_FONT = 12;
  const LAYOUT_TIMEOUT_MS = 20000;
  const MIN_READABLE = 10;  // px on screen for a label: below this the view starts at actual size

  function ids(value) {
    return (value || "").split(" ").filter(Boolean);
  }

  function layout(xml, box) {
    if (!window.FirstCallFlow) return Promise.resolve(xml);
    window.FirstCallFlow.prepare({ workerUrl: box.dataset.elkWorker });
    const late = new Promise(function (resolve, reject) {
      setTimeout(function () { reject(new Error("no layout")); }, LAYOUT_TIMEOUT_MS);
    });
    const laying = window.FirstCallFlow.layoutBpmn(xml, {
      direction: "RIGHT",
      fontFamily: FONT,
      fontSize: TASK_FONT,
      labelFontSize: LABEL_FONT,
      edgeLabelMaxLines: 2,
      workerUrl: box.dataset.elkWorker,
    });
    return Promise.race([laying, late]).catch(function (error) {
      console.error("process layout", error);  // drawn with the diagram it came with, if any
      return xml;
    });
  }

  function mark(viewer, box) {
    const canvas = viewer.get("canvas");
    const registry = viewer.get("elementRegistry");
    const visited = new Set(ids(box.dataset.visited));
    const current = new Set(ids(box.dataset.current));
    visited.forEach(function (id) {
      if (registry.get(id)) canvas.addMarker(id, "fc-visited");
    });
    // A flow is taken when it leaves a done step (or the start) for a done or current one.
    registry.getAll().forEach(function (el) {
      if (!el.waypoints || !el.source || !el.target) return;
      const from = el.source.id;
      const to = el.target.id;
      const fromDone = visited.has(from) || el.source.type === "bpmn:StartEvent";
      if (fromDone && (visited.has(to) || current.has(to))) canvas.addMarker(el.id, "fc-visited");
    });
    registry.getAll().forEach(function (el) {
      if (el.type === "bpmn:StartEvent" && (visited.size || current.size)) {
        canvas.addMarker(el.id, "fc-visited");
      }
    });
    current.forEach(function (id) {
      if (registry.get(id)) canvas.addMarker(id, "fc-current");
    });
  }

  // The whole process when its labels stay readable; else actual size, the current step a third
  // of the way in from the left (the flow runs left to right), so what comes next is in view.
  function defaultView(viewer, box) {
    const canvas = viewer.get("canvas");
    canvas.zoom("fit-viewport", "auto");
    const scale = canvas.zoom();
    if (scale > 1) {
      canvas.zoom(1);
    } else if (scale * LABEL_FONT < MIN_READABLE) {
      canvas.zoom(1);
      const here = ids(box.dataset.current).map(function (id) {
        return viewer.get("elementRegistry").get(id);
      }).filter(Boolean)[0];
      if (here) {
        const vb = canvas.viewbox();
        canvas.viewbox({
          x: here.x + here.width / 2 - vb.width / 3,
          y: here.y + here.height / 2 - vb.height / 2,
          width: vb.width,
          height: vb.height,
        });
      }
    }
  }

  function tools(viewer, box) {
    const bar = box.parentElement.querySelector("[data-testid=diagram-tools]");
    if (!bar) return;
    bar.addEventListener("click", function (event) {
      const button = event.target.closest("[data-diagram]");
      if (!button || !box.dataset.ready) return;
      const canvas = viewer.get("canvas");
      if (button.dataset.diagram === "zoom-in") viewer.get("zoomScroll").stepZoom(1);
      if (button.dataset.diagram === "zoom-out") viewer.get("zoomScroll").stepZoom(-1);
      if (button.dataset.diagram === "fit") canvas.zoom("fit-viewport", "auto");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const box = document.getElementById("process-diagram");
    if (!box || !window.BpmnJS) return;
    const viewer = new window.BpmnJS({
      container: box,
      textRenderer: {
        defaultStyle: { fontFamily: FONT, fontSize: TASK_FONT },
        externalStyle: { fontFamily: FONT, fontSize: LABEL_FONT },
      },
    });
    box.bpmnViewer = viewer;  // for the browser tests and the console
    tools(viewer, box);
    fetch(box.dataset.src, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("diagram " + r.status);
        return r.text();
      })
      .then(function (xml) { return layout(xml, box); })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        mark(viewer, box);
        defaultView(viewer, box);
        box.dataset.ready = "true";
      })
      .catch(function (error) {
        box.dataset.failed = "true";
        console.error("process diagram", error);
      });
  });
})();
