// Small behaviours every page may ask for with a data attribute. The content security policy
// allows no inline event handlers (truenorth/headers.py), so they live here.
//   <select data-submit-on-change>  sends its form as soon as a choice is made
//   <input data-select-on-focus>    selects its whole text, ready to copy
//   <button data-copy="ID">Copy</button>  copies the text of the field with that id, then says so
//   <p data-poll="URL" data-poll-state="running">  follows work running in the background (below);
//     data-poll-key="sending" reads that field of the answer instead of its state or analysis
//   <form data-busy="Publishing…">  once sent, says so and takes no second press (below)
//   <details data-menu>             a menu over the page, closed as a keyboard leaves it (below)
//   <div role="alert"><a href="#id_x">  a refused form's problem: following it focuses its field
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
  // The clipboard API needs a secure page (HTTPS, or this machine's own address); a server on a
  // plain address in an office network gets the older copy command on the selected text.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    const field = button && document.getElementById(button.dataset.copy);
    if (!field) return;
    function copied() {
      button.textContent = "Copied";
    }
    function copyTheSelection() {
      field.select();
      if (document.execCommand("copy")) copied();
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(copied, copyTheSelection);
    } else {
      copyTheSelection();
    }
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

  // The phone's "Menu" opens over the page: left open, Tab past its last link went on to the
  // controls hidden under it. So Escape closes it, back on its button, and so does focus or a
  // click going elsewhere. Focus lost to nothing (a tap on a link Safari does not focus) leaves
  // it open, or the tap would land on what is under the menu.
  function openMenus() {
    return document.querySelectorAll("details[data-menu][open]");
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    openMenus().forEach(function (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("focusout", function (event) {
    const menu = event.target.closest("details[data-menu][open]");
    if (menu && event.relatedTarget && !menu.contains(event.relatedTarget)) menu.open = false;
  });
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });

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
          const state = box.dataset.pollKey ? body[box.dataset.pollKey] : body.state || body.analysis;
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

  // Work that runs inside the request (an analysis on a server without workers takes a minute
  // or more) would leave the page looking unmoved: once the form is sent, its buttons are
  // disabled and its data-busy text appears in a live region until the next page arrives. The
  // buttons are disabled after the submit event, so the pressed one's name and value still go.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.dataset.busy || event.defaultPrevented) return;
    if (form.dataset.sent) return event.preventDefault();
    form.dataset.sent = "true";
    window.setTimeout(function () {
      form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
      const note = document.createElement("p");
      note.className = "busy";
      note.setAttribute("role", "status");
      note.textContent = form.dataset.busy;
      form.after(note);
    }, 0);
  });
  // A page restored from the back-forward cache shows the form as it was left: sent.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button").forEach(function (button) { button.disabled = false; });
      const note = form.nextElementSibling;
      if (note && note.classList.contains("busy")) note.remove();
    });
  });
  // A link in a refused form's list of problems (forms/problems.html, the answer page's) leads
  // to its field: the browser scrolls there but leaves the keyboard on the page, so typing went
  // nowhere. Once it has scrolled, the field (or a question's first box or choice) takes focus.
  document.addEventListener("click", function (event) {
    const link = event.target.closest('[role="alert"] a[href^="#"]');
    if (!link) return;
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    const field = target.matches("input, select, textarea")
      ? target
      : target.querySelector("input:not([type=hidden]), select, textarea");
    if (field) window.setTimeout(function () { field.focus({ preventScroll: true }); }, 0);
  });
})();
