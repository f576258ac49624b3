// Small behaviours every page may ask for with a data attribute. The content security policy
// allows no inline event handlers (truenorth/headers.py), so they live here.
//   <select data-submit-on-change>  sends its form as soon as a choice is made
//   <input data-select-on-focus>    selects its whole text, ready to copy
//   <p data-poll="URL" data-poll-state="running">  follows work running in the background (below)
// and one every page gets: a table wider than its place scrolls inside itself (style.css); it is
// made focusable, so a keyboard can scroll it too.
(function () {
  document.addEventListener("change", function (event) {
    const field = event.target;
    if (field.matches("[data-submit-on-change]") && field.form) field.form.submit();
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches("[data-select-on-focus]")) event.target.select();
  });
  function letWideTablesScroll() {
    document.querySelectorAll(".table-wrap, .scroll, table").forEach(function (box) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", letWideTablesScroll);
  } else {
    letWideTablesScroll();
  }
  window.addEventListener("resize", letWideTablesScroll);

  // Background work (an import, an analysis) is followed by asking its JSON twin every few
  // seconds: while the state stays the one the page shows, only the progress inside the element
  // changes (a polite live region); when the state moves on, the page reloads once to show the
  // outcome. A timed reload of the whole page would interrupt whoever is reading it (WCAG 2.2.1).
  function follow(box) {
    const shown = box.dataset.pollState;
    const unit = box.dataset.pollUnit || "";
    const label = box.querySelector("[data-poll-label]");
    const bar = box.querySelector("progress");
    function ask() {
      fetch(box.dataset.poll, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (body) {
          const state = body.state || body.analysis;
          if (state !== shown) return window.location.reload();
          const step = body.progress;
          if (step && label) label.textContent = step.label + (step.total ? ": " + step.done + " of " + step.total + " " + unit : "") + ".";
          if (step && bar && step.total) { bar.max = 100; bar.value = step.percent; bar.textContent = step.percent + "%"; }
          window.setTimeout(ask, 3000);
        })
        .catch(function () { window.setTimeout(ask, 10000); });
    }
    window.setTimeout(ask, 3000);
  }
  document.querySelectorAll("[data-poll]").forEach(follow);
})();
