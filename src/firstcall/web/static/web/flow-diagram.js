// Draws the call's flow with bpmn-js: laid out in the page by flow-layout.js (ELK), labels at a
// readable size, zoom and fit buttons, the current step highlighted and centred, visited steps
// marked. The marks follow every swap of the flow panel.
(function () {
  "use strict";

  const FONT = "Arial, 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";
  const TASK_FONT = 13;
  const LABEL_FONT = 12;
  const LAYOUT_TIMEOUT_MS = 20000;
  const MIN_READABLE = 11;  // px on screen: below this the default view zooms to 1 instead of fit
  const BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";

  // Laid-out diagrams of this tab, by the document, the options and the layout's version: the
  // next call on the same flow draws at once.
  function cached(xml, options) {
    const text = window.FirstCallFlow.VERSION + JSON.stringify(options) + xml;
    let hash = 2166136261;  // FNV-1a
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
    const key = "fc-flow-layout:" + (hash >>> 0).toString(36) + ":" + text.length;
    let hit = null;
    try { hit = window.sessionStorage.getItem(key); } catch (e) { /* storage disabled */ }
    if (hit) return Promise.resolve(hit);
    // A worker that cannot load never answers: give up after a while and draw without layout.
    const late = new Promise(function (resolve, reject) {
      setTimeout(function () { reject(new Error("no layout after " + LAYOUT_TIMEOUT_MS + " ms")); }, LAYOUT_TIMEOUT_MS);
    });
    const laying = window.FirstCallFlow.layoutBpmn(xml, options);
    return Promise.race([laying, late]).then(function (laid) {
      try {
        const keys = JSON.parse(window.sessionStorage.getItem("fc-flow-layouts") || "[]");
        keys.push(key);
        while (keys.length > 12) window.sessionStorage.removeItem(keys.shift());
        window.sessionStorage.setItem(key, laid);
        window.sessionStorage.setItem("fc-flow-layouts", JSON.stringify(keys));
      } catch (e) { /* full or disabled: lay out again next time */ }
      return laid;
    });
  }

  function state() {
    return document.querySelector("[data-testid=flow-state]");
  }

  // The branch conditions and full names, read before the layout shortens long labels.
  function hints(xml) {
    const doc = new DOMParser().parseFromString(xml, "application/xml");
    const found = {};
    Array.from(doc.getElementsByTagNameNS(BPMN, "sequenceFlow")).forEach(function (flow) {
      // The branch's name in words; its rule expression is for the designer, not the agent.
      found[flow.getAttribute("id")] = flow.getAttribute("name") || "";
    });
    return found;
  }

  function titles(viewer, byFlow) {
    const registry = viewer.get("elementRegistry");
    registry.getAll().forEach(function (el) {
      const bo = el.businessObject;
      if (!bo || el.type === "label" || !bo.id) return;
      const text = el.waypoints ? byFlow[bo.id] : bo.name || "";
      if (!text) return;
      [el].concat(el.label ? [el.label] : []).forEach(function (shown) {
        const gfx = registry.getGraphics(shown);
        if (!gfx || gfx.querySelector(":scope > title")) return;
        const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
        title.textContent = text;
        gfx.insertBefore(title, gfx.firstChild);
      });
    });
  }

  function current(viewer) {
    const s = state();
    return s && s.dataset.current ? viewer.get("elementRegistry").get(s.dataset.current) : null;
  }

  // The step centred vertically and a third of the way in from the left, so the branches it
  // leads to (to its right: the flow runs left to right) are in view with it.
  const ANCHOR_X = 1 / 3;

  function centre(viewer, el) {
    const canvas = viewer.get("canvas");
    if (!el) return;
    const vb = canvas.viewbox();
    canvas.viewbox({
      x: el.x + el.width / 2 - vb.width * ANCHOR_X,
      y: el.y + el.height / 2 - vb.height / 2,
      width: vb.width,
      height: vb.height,
    });
  }

  function inView(viewer, el) {
    const vb = viewer.get("canvas").viewbox();
    return el.x >= vb.x && el.y >= vb.y && el.x + el.width <= vb.x + vb.width &&
      el.y + el.height <= vb.y + vb.height;
  }

  // The whole flow if its labels stay readable, else actual size around the current step.
  function defaultView(viewer) {
    const canvas = viewer.get("canvas");
    canvas.zoom("fit-viewport", "auto");
    const scale = canvas.zoom();
    if (scale > 1) {
      canvas.zoom(1);  // a small flow: actual size, around the viewport's centre
    } else if (scale * LABEL_FONT < MIN_READABLE) {
      canvas.zoom(1);
      centre(viewer, current(viewer) || viewer.get("elementRegistry").get("start"));
    }
  }

  function marks(viewer, follow) {
    const s = state();
    if (!s) return;
    const canvas = viewer.get("canvas");
    const registry = viewer.get("elementRegistry");
    registry.getAll().forEach(function (el) {
      canvas.removeMarker(el.id, "fc-visited");
      canvas.removeMarker(el.id, "fc-current");
    });
    (s.dataset.visited || "").split(" ").filter(Boolean).forEach(function (id) {
      if (registry.get(id)) canvas.addMarker(id, "fc-visited");
    });
    const here = current(viewer);
    if (here) {
      canvas.addMarker(here.id, "fc-current");
      if (follow && !inView(viewer, here)) centre(viewer, here);
    }
  }

  function tools(viewer, box) {
    const bar = document.querySelector("[data-testid=diagram-tools]");
    if (!bar) return;
    const actions = {
      "zoom-in": function () { viewer.get("zoomScroll").stepZoom(1); },
      "zoom-out": function () { viewer.get("zoomScroll").stepZoom(-1); },
      fit: function () { viewer.get("canvas").zoom("fit-viewport", "auto"); },
      current: function () {
        const canvas = viewer.get("canvas");
        if (canvas.zoom() * LABEL_FONT < MIN_READABLE) canvas.zoom(1);
        centre(viewer, current(viewer));
      },
    };
    bar.addEventListener("click", function (event) {
      const button = event.target.closest("[data-diagram]");
      if (button && box.dataset.ready && actions[button.dataset.diagram]) {
        actions[button.dataset.diagram]();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const box = document.getElementById("flow-diagram");
    if (!box || !window.BpmnJS || !window.FirstCallFlow) return;
    const viewer = new window.BpmnJS({
      container: box,
      textRenderer: {
        defaultStyle: { fontFamily: FONT, fontSize: TASK_FONT },
        externalStyle: { fontFamily: FONT, fontSize: LABEL_FONT },
      },
    });
    box.bpmnViewer = viewer;  // for the browser tests and the console
    let byFlow = {};
    tools(viewer, box);
    window.FirstCallFlow.prepare({ workerUrl: box.dataset.elkWorker });
    fetch(box.dataset.src, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (xml) {
        byFlow = hints(xml);
        return cached(xml, {
          direction: box.dataset.direction || "RIGHT",
          fontFamily: FONT,
          fontSize: TASK_FONT,
          labelFontSize: LABEL_FONT,
          edgeLabelMaxLines: 2,
          workerUrl: box.dataset.elkWorker,
        }).catch(function (error) {
          // No layout (no worker, say): the flow as published, with the diagram it came with.
          console.error("flow layout", error);
          box.dataset.laidOut = "false";
          return xml;
        });
      })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        titles(viewer, byFlow);
        marks(viewer, false);
        defaultView(viewer);
        box.dataset.ready = "true";
        box.dataset.readyMs = String(Math.round(performance.now()));  // since navigation start
      })
      .catch(function (error) {
        box.dataset.failed = "true";
        console.error("flow diagram", error);
      });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.target.id === "panel-flow" && box.dataset.ready) marks(viewer, true);
    });
  });
})();
