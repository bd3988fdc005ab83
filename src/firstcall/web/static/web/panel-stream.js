// The workbench's panels arrive in the page's own answer, after the shell (customers/panels.py):
// each as <template data-fc-panel="name"> followed by a marker <i data-fc-placed="name">, which
// says the template is whole. This script runs before them (it is not deferred) and puts each
// panel into its card as its marker arrives, with the template's out-of-band parts (marked
// hx-swap-oob, as htmx would swap them) in place of the elements of the same id. htmx and Alpine
// start when the page has ended and take the placed panels as part of the page.
(function () {
  "use strict";

  function place(marker) {
    const template = marker.previousElementSibling;
    const name = marker.getAttribute("data-fc-placed");
    if (!template || template.getAttribute("data-fc-panel") !== name) return;
    const content = template.content;
    Array.from(content.children).filter(function (el) {
      return el.hasAttribute("hx-swap-oob");
    }).forEach(function (part) {
      const old = part.id ? document.getElementById(part.id) : null;
      part.removeAttribute("hx-swap-oob");
      if (old) old.replaceWith(part);
      else part.remove();
    });
    const card = document.getElementById("panel-" + name);
    if (card) {
      card.replaceChildren(content);
      card.setAttribute("data-fc-arrived", "");
    }
    template.remove();
    marker.remove();
  }

  function placeAll() {
    document.querySelectorAll("i[data-fc-placed]").forEach(place);
  }

  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType === 1 && node.matches("i[data-fc-placed]")) place(node);
      });
    });
  }).observe(document.body, { childList: true });
  document.addEventListener("DOMContentLoaded", placeAll);
  placeAll();
})();
