// Behaviour the templates name but do not spell out. The Content-Security-Policy forbids inline
// scripts, inline event handlers and eval, so Alpine runs as its CSP build, which reads only
// simple expressions: anything longer (several statements, functions, DOM calls) is a method of a
// component registered here, and the template names it (`x-data="phenomenonPicker"`,
// `@click="addRow"`). Loaded with `defer` before Alpine, so the components exist when it starts.
(function () {
  // A submit button with data-confirm asks first (instead of onclick="return confirm(...)").
  document.addEventListener(
    "click",
    function (event) {
      const button = event.target.closest && event.target.closest("[data-confirm]");
      if (button && !window.confirm(button.dataset.confirm)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true,
  );

  document.addEventListener("alpine:init", function () {
    const Alpine = window.Alpine;

    // The phenomenon picker (taxonomy/partials/picker.html). A choice fills the hidden field and
    // dispatches `phenomenon-chosen` ({code, label}) for the page.
    Alpine.data("phenomenonPicker", function () {
      return {
        code: "",
        label: "",
        open: false,
        init: function () {
          this.code = this.$el.dataset.code || "";
          this.label = this.$el.dataset.label || "";
        },
        choose: function (el) {
          this.code = el.dataset.code;
          this.label = el.dataset.label;
          this.open = false;
          this.$dispatch("phenomenon-chosen", { code: this.code, label: this.label });
        },
        clear: function () {
          this.code = "";
          this.label = "";
        },
        show: function () {
          this.open = true;
        },
        hide: function () {
          this.open = false;
        },
      };
    });

    // The call timer (navigation/partials/call_status.html): minutes and seconds since the call's
    // ticket was opened, counted on the server's clock (data-now is the server's time when the
    // page was drawn, so a browser whose clock is off still shows the right time); it stands
    // still at data-end once the call has ended.
    Alpine.data("callTimer", function () {
      return {
        shown: "",
        init: function () {
          const data = this.$el.dataset;
          this.start = Number(data.start) * 1000;
          this.end = data.end ? Number(data.end) * 1000 : null;
          this.skew = Number(data.now) * 1000 - Date.now();
          this.tick();
          if (this.end === null) this.interval = window.setInterval(this.tick.bind(this), 1000);
        },
        tick: function () {
          const until = this.end !== null ? this.end : Date.now() + this.skew;
          const total = Math.max(0, Math.floor((until - this.start) / 1000));
          const hours = Math.floor(total / 3600);
          const pad = function (n) { return String(n).padStart(2, "0"); };
          const rest = pad(Math.floor((total % 3600) / 60)) + ":" + pad(total % 60);
          this.shown = hours ? hours + ":" + rest : rest;
          this.$el.dataset.seconds = String(total);
        },
        destroy: function () {
          window.clearInterval(this.interval);
        },
      };
    });

    // The rows of a rule-set draft (rules/ruleset_detail.html, rules/partials/edit_row.html):
    // add a blank row from the template, move a row up, remove one.
    Alpine.data("ruleRows", function () {
      return {
        addRow: function () {
          this.$refs.rows.insertAdjacentHTML("beforeend", this.$refs.blank.innerHTML);
        },
        moveUp: function (event) {
          const row = event.currentTarget.closest("tr");
          if (row.previousElementSibling) row.parentNode.insertBefore(row, row.previousElementSibling);
        },
        removeRow: function (event) {
          event.currentTarget.closest("tr").remove();
        },
      };
    });
  });
})();
