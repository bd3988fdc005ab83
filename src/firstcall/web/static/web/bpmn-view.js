// The back office's process diagram (workflows/ticket.html): the ticket's BPMN document laid out
// by flow-layout.js (ELK) and drawn by bpmn-js's viewer, the steps done and the sequence flows
// between them marked `fc-visited`, the current step(s) `fc-current`. The box says what to draw:
//   data-src      the BPMN document's URL
//   data-current  the BPMN ids of the ready tasks, space-separated
//   data-visited  the BPMN ids of the completed tasks, space-separated
//   data-path     the same in the order they were completed, repeats included (a return)
//   data-ended    "true" when the process has completed (its end event is marked reached)
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
    // The flows taken: between each step done and the next (in the order done, a return
    // included), through the gateways between them; from the start to the first step; from the
    // last steps done to the current ones.
    const isGateway = function (el) { return /Gateway$/.test(el.type); };
    const route = function (from, to) {
      // Breadth first from `from` to `to`, through gateways only: the flows, or null.
      const queue = [[from, []]];
      const seen = new Set([from.id]);
      while (queue.length) {
        const [node, flows] = queue.shift();
        if (flows.length > 6) continue;
        for (const flow of node.outgoing || []) {
          const next = flow.target;
          if (next === to) return flows.concat([flow]);
          if (isGateway(next) && !seen.has(next.id)) {
            seen.add(next.id);
            queue.push([next, flows.concat([flow])]);
          }
        }
      }
      return null;
    };
    const take = function (flows) {
      (flows || []).forEach(function (flow) {
        canvas.addMarker(flow.id, "fc-visited");
        if (isGateway(flow.source)) canvas.addMarker(flow.source.id, "fc-visited");
      });
    };
    const steps = ids(box.dataset.path).map(function (id) { return registry.get(id); }).filter(Boolean);
    const start = registry.getAll().find(function (el) { return el.type === "bpmn:StartEvent"; });
    const ends = registry.getAll().filter(function (el) { return el.type === "bpmn:EndEvent"; });
    if (start && (steps.length || current.size)) {
      canvas.addMarker(start.id, "fc-visited");
      const first = steps[0] || registry.get(Array.from(current)[0]);
      if (first) take(route(start, first));
    }
    // Each step from the latest step done before it that leads there (parallel branches
    // interleave in the path; each came from the step that split them).
    const cameFrom = function (here, before) {
      for (let i = before - 1; i >= 0; i--) {
        const flows = route(steps[i], here);
        if (flows) { take(flows); return; }
      }
    };
    for (let i = 1; i < steps.length; i++) cameFrom(steps[i], i);
    current.forEach(function (id) {
      if (registry.get(id)) cameFrom(registry.get(id), steps.length);
    });
    if (box.dataset.ended === "true" && steps.length) {
      // The end reached: the end event the last step done leads to.
      const last = steps[steps.length - 1];
      for (const end of ends) {
        const flows = route(last, end);
        if (flows) { take(flows); canvas.addMarker(end.id, "fc-visited"); break; }
      }
    }
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
    if (!ids(box.dataset.current).length) {
      return;  // the process has ended (or not begun): the whole of it, its path marked
    }
    if (scale > 1) {
      canvas.zoom(1);
    } else if (scale * LABEL_FONT < MIN_READABLE) {
      canvas.zoom(1);
      const registry = viewer.get("elementRegistry");
      const found = function (list) {
        return list.map(function (id) { return registry.get(id); }).filter(Boolean);
      };
      const here = found(ids(box.dataset.current))[0];
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
