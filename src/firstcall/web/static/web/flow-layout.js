// Lays a BPMN process out with ELK's layered algorithm (elkjs, run in the page without a worker)
// and writes the positions into the document's diagram interchange (DI): shapes, edges with
// orthogonal waypoints, and the bounds of the labels of end events and branches. Whatever DI the
// document had is replaced. No page coupling: the call page's flow view uses it, and so can a flow
// designer that places new steps.
//
//   FirstCallFlow.layoutBpmn(xml, options) -> Promise<xml>
//
// options (all optional): direction "RIGHT" | "DOWN"; fontFamily; fontSize (task names) and
// labelFontSize (external labels), which must match the renderer's text styles so boxes fit their
// text; edgeLabelWidth and edgeLabelMaxLines (a longer branch label is cut with "…"); workerUrl
// (elk-worker.min.js) to lay out off the page's thread; elk, ELK layout options that override ours.
(function (root) {
  "use strict";

  const NS = {
    bpmn: "http://www.omg.org/spec/BPMN/20100524/MODEL",
    bpmndi: "http://www.omg.org/spec/BPMN/20100524/DI",
    dc: "http://www.omg.org/spec/DD/20100524/DC",
    di: "http://www.omg.org/spec/DD/20100524/DI",
  };
  // Children of a process that are not drawn as nodes of the flow.
  const NOT_NODES = new Set([
    "sequenceFlow", "laneSet", "textAnnotation", "association", "documentation",
    "extensionElements", "dataObject", "dataObjectReference", "dataStoreReference", "property",
    "ioSpecification", "group", "category",
  ]);
  const DEFAULTS = {
    direction: "RIGHT",
    fontFamily: "Arial, sans-serif",
    fontSize: 13,
    labelFontSize: 12,
    lineHeight: 1.2,
    taskWidth: 150,
    taskMinHeight: 64,
    taskPadding: 7,
    taskIconClearance: 22,  // the task-type icon's corner: text centred clear of it
    eventSize: 36,
    gatewaySize: 50,
    eventLabelWidth: 110,
    edgeLabelWidth: 120,
    edgeLabelMaxLines: Infinity,
  };

  const engines = {};

  // With a workerUrl (elk-api.js on the page, elk-worker.min.js as the worker, same origin so the
  // CSP's 'self' admits it) the layout runs off the page's thread; without one, elk.bundled.js
  // runs it in this thread.
  function engine(workerUrl) {
    const key = workerUrl || "";
    if (!engines[key]) {
      if (!root.ELK) throw new Error("elkjs is not loaded");
      engines[key] = workerUrl ? new root.ELK({ workerUrl: workerUrl }) : new root.ELK();
    }
    return engines[key];
  }

  function measurer(family) {
    const canvas = root.document && root.document.createElement("canvas");
    const context = canvas && canvas.getContext && canvas.getContext("2d");
    return function (text, size) {
      if (context) {
        context.font = size + "px " + family;
        return context.measureText(text).width;
      }
      let width = 0;  // no canvas: a CJK character is about one em, others about half
      for (const ch of text) width += ch.charCodeAt(0) > 0x2e80 ? size : size * 0.55;
      return width;
    };
  }

  // Greedy wrapping as the renderer does it: Latin words kept whole where they fit, CJK text
  // broken between characters. Returns the lines.
  function wrap(text, size, maxWidth, measure) {
    const tokens = text.match(/[A-Za-z0-9_.\-/]+\s*|\s+|[^]/gu) || [];
    const lines = [];
    let line = "";
    for (const token of tokens) {
      if (measure(line + token, size) <= maxWidth || !line) {
        line += token;
      } else {
        lines.push(line.trimEnd());
        line = token.trimStart();
      }
      while (measure(line, size) > maxWidth && line.length > 1) {
        let cut = line.length - 1;
        while (cut > 1 && measure(line.slice(0, cut), size) > maxWidth) cut -= 1;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    }
    if (line.trim()) lines.push(line.trimEnd());
    return lines;
  }

  function cut(text, size, maxWidth, maxLines, measure) {
    let lines = wrap(text, size, maxWidth, measure);
    if (lines.length <= maxLines) return { text: text, lines: lines };
    let kept = lines.slice(0, maxLines).join("");
    while (kept.length > 1) {
      kept = kept.slice(0, -1);
      lines = wrap(kept + "…", size, maxWidth, measure);
      if (lines.length <= maxLines) return { text: kept + "…", lines: lines };
    }
    return { text: kept, lines: [kept] };
  }

  function kindOf(element) {
    const name = element.localName;
    if (/Event$/.test(name)) return "event";
    if (/Gateway$/.test(name)) return "gateway";
    return "task";
  }

  // One ELK node per flow node: its box, where its label goes, and one port in and one out at
  // fixed points (so branches fan out from one point and merge into one).
  function node(element, o, measure) {
    const id = element.getAttribute("id");
    const name = element.getAttribute("name") || "";
    const kind = kindOf(element);
    const down = o.direction === "DOWN";
    const n = { id: id, kind: kind, name: name };
    if (kind === "task") {
      const lines = wrap(name, o.fontSize, o.taskWidth - 2 * o.taskPadding - 4, measure);
      const text = lines.length * o.fontSize * o.lineHeight;
      n.width = o.taskWidth;
      n.height = Math.max(o.taskMinHeight, Math.ceil(text + 2 * o.taskIconClearance));
      n.shape = { x: 0, y: 0, width: n.width, height: n.height };
    } else {
      const size = kind === "event" ? o.eventSize : o.gatewaySize;
      n.shape = { x: 0, y: 0, width: size, height: size };
      n.width = size;
      n.height = size;
      if (name) {
        const lines = wrap(name, o.labelFontSize, o.eventLabelWidth, measure);
        const w = Math.ceil(Math.max.apply(null, lines.map((l) => measure(l, o.labelFontSize)))) + 4;
        const h = Math.ceil(lines.length * o.labelFontSize * o.lineHeight) + 2;
        if (down) {  // the label under the symbol
          n.width = Math.max(size, w);
          n.height = size + 4 + h;
          n.shape.x = (n.width - size) / 2;
          n.label = { x: (n.width - w) / 2, y: size + 4, width: w, height: h };
        } else {  // the label to the right of the symbol, centred on it
          n.width = size + 6 + w;
          n.height = Math.max(size, h);
          n.shape.y = (n.height - size) / 2;
          n.label = { x: size + 6, y: (n.height - h) / 2, width: w, height: h };
        }
      }
    }
    const s = n.shape;
    const ports = down
      ? [[id + "::in", s.x + s.width / 2, s.y, "NORTH"], [id + "::out", s.x + s.width / 2, s.y + s.height, "SOUTH"]]
      : [[id + "::in", s.x, s.y + s.height / 2, "WEST"], [id + "::out", s.x + s.width, s.y + s.height / 2, "EAST"]];
    n.elk = {
      id: id,
      width: n.width,
      height: n.height,
      layoutOptions: { "elk.portConstraints": "FIXED_POS" },
      ports: ports.map(function (p) {
        return { id: p[0], x: p[1], y: p[2], width: 0, height: 0, layoutOptions: { "elk.port.side": p[3] } };
      }),
    };
    return n;
  }

  function child(parent, ns, tag, attrs) {
    const element = parent.ownerDocument.createElementNS(NS[ns], ns + ":" + tag);
    Object.keys(attrs).forEach(function (k) { element.setAttribute(k, String(Math.round(attrs[k] * 10) / 10)); });
    parent.appendChild(element);
    return element;
  }

  function bounds(parent, box) {
    return child(parent, "dc", "Bounds", { x: box.x, y: box.y, width: box.width, height: box.height });
  }

  function layoutBpmn(xml, options) {
    const o = Object.assign({}, DEFAULTS, options || {});
    const doc = new DOMParser().parseFromString(xml, "application/xml");
    if (doc.getElementsByTagName("parsererror").length) {
      return Promise.reject(new Error("not well-formed BPMN XML"));
    }
    const process = doc.getElementsByTagNameNS(NS.bpmn, "process")[0];
    if (!process) return Promise.reject(new Error("the document has no bpmn:process"));
    const measure = measurer(o.fontFamily);
    const nodes = {};
    const flows = [];
    Array.from(process.children).forEach(function (element) {
      if (element.namespaceURI !== NS.bpmn || !element.getAttribute("id")) return;
      if (element.localName === "sequenceFlow") flows.push(element);
      else if (!NOT_NODES.has(element.localName)) nodes[element.getAttribute("id")] = node(element, o, measure);
    });
    const edges = [];
    flows.forEach(function (flow) {
      const source = flow.getAttribute("sourceRef");
      const target = flow.getAttribute("targetRef");
      if (!nodes[source] || !nodes[target]) return;
      const edge = { id: flow.getAttribute("id"), sources: [source + "::out"], targets: [target + "::in"], labels: [] };
      const name = flow.getAttribute("name");
      if (name) {
        const fitted = cut(name, o.labelFontSize, o.edgeLabelWidth, o.edgeLabelMaxLines, measure);
        if (fitted.text !== name) flow.setAttribute("name", fitted.text);
        edge.labels.push({
          id: edge.id + "::label",
          text: fitted.text,
          width: Math.ceil(Math.max.apply(null, fitted.lines.map((l) => measure(l, o.labelFontSize)))) + 4,
          height: Math.ceil(fitted.lines.length * o.labelFontSize * o.lineHeight) + 2,
        });
      }
      edges.push(edge);
    });
    const graph = {
      id: "root",
      layoutOptions: {
        "elk.algorithm": "layered",
        "elk.direction": o.direction,
        "elk.edgeRouting": "ORTHOGONAL",
        // Fewer crossings and shorter edges than keeping the document's order (measured on
        // F-BB-691: 12 crossings against 24, a quarter less height).
        "elk.layered.considerModelOrder.strategy": "NONE",
        "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
        "elk.edgeLabels.placement": "CENTER",
        "elk.layered.edgeLabels.sideSelection": "ALWAYS_UP",  // a label always sits above its line
        "elk.spacing.nodeNode": "24",
        "elk.layered.spacing.nodeNodeBetweenLayers": "36",
        "elk.spacing.edgeNode": "14",
        "elk.layered.spacing.edgeNodeBetweenLayers": "14",
        "elk.spacing.edgeEdge": "10",
        "elk.layered.spacing.edgeEdgeBetweenLayers": "10",
        "elk.spacing.edgeLabel": "3",
        "elk.padding": "[top=20,left=20,bottom=20,right=20]",
      },
      children: Object.keys(nodes).map(function (id) { return nodes[id].elk; }),
      edges: edges,
    };
    Object.assign(graph.layoutOptions, o.elk || {});
    return engine(o.workerUrl).layout(graph).then(function (laid) {
      writeDi(doc, process, nodes, laid);
      return new XMLSerializer().serializeToString(doc);
    });
  }

  function writeDi(doc, process, nodes, laid) {
    Array.from(doc.getElementsByTagNameNS(NS.bpmndi, "BPMNDiagram")).forEach(function (d) { d.remove(); });
    const pid = process.getAttribute("id");
    const diagram = doc.createElementNS(NS.bpmndi, "bpmndi:BPMNDiagram");
    diagram.setAttribute("id", "diagram-" + pid);
    const plane = doc.createElementNS(NS.bpmndi, "bpmndi:BPMNPlane");
    plane.setAttribute("id", "plane-" + pid);
    plane.setAttribute("bpmnElement", pid);
    diagram.appendChild(plane);
    doc.documentElement.appendChild(diagram);
    laid.children.forEach(function (c) {
      const n = nodes[c.id];
      const shape = doc.createElementNS(NS.bpmndi, "bpmndi:BPMNShape");
      shape.setAttribute("id", c.id + "-di");
      shape.setAttribute("bpmnElement", c.id);
      plane.appendChild(shape);
      bounds(shape, { x: c.x + n.shape.x, y: c.y + n.shape.y, width: n.shape.width, height: n.shape.height });
      if (n.label) {
        const label = doc.createElementNS(NS.bpmndi, "bpmndi:BPMNLabel");
        shape.appendChild(label);
        bounds(label, { x: c.x + n.label.x, y: c.y + n.label.y, width: n.label.width, height: n.label.height });
      }
    });
    (laid.edges || []).forEach(function (e) {
      const edge = doc.createElementNS(NS.bpmndi, "bpmndi:BPMNEdge");
      edge.setAttribute("id", e.id + "-di");
      edge.setAttribute("bpmnElement", e.id);
      plane.appendChild(edge);
      (e.sections || []).forEach(function (section) {
        [section.startPoint].concat(section.bendPoints || [], [section.endPoint]).forEach(function (p) {
          child(edge, "di", "waypoint", { x: p.x, y: p.y });
        });
      });
      (e.labels || []).forEach(function (l) {
        const label = doc.createElementNS(NS.bpmndi, "bpmndi:BPMNLabel");
        edge.appendChild(label);
        bounds(label, l);
      });
    });
  }

  // VERSION changes whenever the same document and options would be laid out differently, so a
  // caller that caches layouts keys them by it.
  root.FirstCallFlow = Object.assign(root.FirstCallFlow || {}, {
    layoutBpmn: layoutBpmn,
    // Starts ELK (and its worker) ahead of the first layout, e.g. while the document loads.
    prepare: function (options) { engine((options || {}).workerUrl); },
    wrap: wrap,
    VERSION: "1",
  });
})(window);
