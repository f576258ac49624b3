// The setup link is /setup/#<key>. Browsers never send what follows "#", so the key reaches no
// request line and no server log. Put it in the form, and take it out of the address bar.
(function () {
  const key = window.location.hash.slice(1).trim();
  const form = document.getElementById("setup");
  if (!key || !form) return;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  form.elements.key.value = key;
})();
