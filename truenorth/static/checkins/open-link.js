// A personal check-in link is /c/#<token>. Browsers never send what follows "#", so the token
// reaches no request line and no server log. Take it out of the address bar (and history), then
// post it with the page's form; the server keeps it in a short-lived cookie.
(function () {
  const token = window.location.hash.slice(1).trim();
  const form = document.getElementById("open-link");
  if (!token || !form) return;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  form.elements.link.value = token;
  form.submit();
})();
