// The setup link is /setup/#<key>. Browsers never send what follows "#", so the key reaches no
// request line and no server log. Take it out of the address bar (and the history), and put it
// in the form while the server still has no administrator.
(function () {
  const key = window.location.hash.slice(1).trim();
  if (!key) return;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  const form = document.getElementById("setup");
  if (form) form.elements.key.value = key;
})();
