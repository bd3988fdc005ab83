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

    // The phenomenon picker (taxonomy/partials/picker.html), a combobox. A choice fills the hidden
    // field and dispatches `phenomenon-chosen` ({code, label}) for the page. Typing filters (htmx
    // fetches the matches into the listbox), the arrow keys move the highlight, Enter picks the
    // highlighted match (the first when none is) and keeps the form from submitting until a
    // phenomenon is chosen; with the list closed (or nothing typed) Enter submits as usual.
    // Enter pressed before the matches for the typed text have arrived picks once they do.
    Alpine.data("phenomenonPicker", function () {
      return {
        code: "",
        label: "",
        open: false,
        active: -1,
        stale: false,
        pending: false,
        init: function () {
          this.code = this.$el.dataset.code || "";
          this.label = this.$el.dataset.label || "";
          this.$refs.results.addEventListener("htmx:afterSwap", this.arrived.bind(this));
        },
        options: function () {
          return Array.prototype.slice.call(this.$refs.results.querySelectorAll("[role=option]"));
        },
        query: function () {
          return this.$refs.input.value.trim();
        },
        arrived: function () {
          const list = this.$refs.results.querySelector("[data-q]");
          this.stale = !list || list.dataset.q !== this.query();
          const ids = this.$refs.results.id;
          this.options().forEach(function (option, i) {
            option.id = ids + "-" + i;
          });
          this.highlight(-1);
          if (this.pending && !this.stale) {
            this.pending = false;
            this.pick(0);
          }
        },
        highlight: function (index) {
          const options = this.options();
          this.active = options.length ? Math.max(-1, Math.min(index, options.length - 1)) : -1;
          options.forEach(function (option, i) {
            const on = i === this.active;
            option.classList.toggle("active", on);
            option.setAttribute("aria-selected", on ? "true" : "false");
            if (on) option.scrollIntoView({ block: "nearest" });
          }, this);
          if (this.active >= 0) this.$refs.input.setAttribute("aria-activedescendant", options[this.active].id);
          else this.$refs.input.removeAttribute("aria-activedescendant");
        },
        pick: function (index) {
          const option = this.options()[index];
          if (option) this.choose(option);
        },
        choose: function (el) {
          this.code = el.dataset.code;
          this.label = el.dataset.label;
          this.pending = false;
          this.hide();
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
          this.highlight(-1);
        },
        typed: function () {
          this.stale = true;
          this.pending = false;
          this.show();
        },
        next: function () {
          this.show();
          if (!this.stale) this.highlight(this.active + 1);
        },
        previous: function () {
          if (!this.stale) this.highlight(this.active < 0 ? this.options().length - 1 : this.active - 1);
        },
        enter: function (event) {
          if (!this.query() || (!this.open && this.code)) return; // the form submits
          event.preventDefault();
          if (this.stale) {
            this.pending = true; // picked when the matches for the typed text arrive
          } else if (this.open && this.options().length) {
            this.pick(Math.max(this.active, 0));
          } else if (!this.open) {
            this.show();
          }
        },
        escape: function (event) {
          if (this.open) {
            event.preventDefault();
            this.hide();
          }
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
