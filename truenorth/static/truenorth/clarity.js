// Re-check clarity as the editor types: wait for a pause, then ask the server for a new panel.
// The form names the check's URL in data-clarity-url; the panel is the element #clarity.
(function () {
  const form = document.querySelector("form[data-clarity-url]");
  const panel = document.getElementById("clarity");
  if (!form || !panel) return;
  const token = form.querySelector("[name=csrfmiddlewaretoken]").value;
  let timer = null;
  let latest = 0;
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(async function () {
      const asked = ++latest;
      try {
        const response = await fetch(form.dataset.clarityUrl, {
          method: "POST",
          body: new FormData(form),
          headers: {"X-CSRFToken": token},
          credentials: "same-origin",
        });
        // A slow answer to an older request must not overwrite a newer one.
        if (response.ok && asked === latest) panel.innerHTML = await response.text();
      } catch (error) {
        // Offline or server trouble: keep the last panel; saving does not depend on it.
      }
    }, 600);
  });
})();
