// Counts a written answer against its limit as one types: "120 of 5,000 characters", red and
// "… too many: shorten it" past it. The box has no maxlength, so nothing typed or pasted is cut
// without a word; the server refuses an answer over the limit and shows it back to shorten.
(function () {
  const format = (n) => n.toLocaleString("en");
  document.querySelectorAll("form.answers textarea[data-limit]").forEach(function (box) {
    const hint = document.getElementById(box.id + "_limit");
    if (!hint) return;
    const limit = Number(box.dataset.limit);
    const count = function () {
      const length = box.value.length;
      const over = length - limit;
      hint.textContent = over > 0
        ? `${format(length)} of ${format(limit)} characters: ${format(over)} too many; shorten it.`
        : `${format(length)} of ${format(limit)} characters.`;
      hint.classList.toggle("over", over > 0);
      box.setAttribute("aria-invalid", over > 0 ? "true" : "false");
    };
    box.addEventListener("input", count);
    if (box.value) count();
  });
})();
