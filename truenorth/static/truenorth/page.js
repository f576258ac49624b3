// Small behaviours every page may ask for with a data attribute. The content security policy
// allows no inline event handlers (truenorth/headers.py), so they live here.
//   <select data-submit-on-change>  sends its form as soon as a choice is made
//   <input data-select-on-focus>    selects its whole text, ready to copy
(function () {
  document.addEventListener("change", function (event) {
    const field = event.target;
    if (field.matches("[data-submit-on-change]") && field.form) field.form.submit();
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();
