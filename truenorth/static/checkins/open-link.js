// A personal check-in link is /c/#<token>. Browsers never send what follows "#", so the token
// reaches no request line and no server log. Take it out of the address bar (and history), then
// post it with the page's form; the server keeps it in a short-lived cookie.
//
// Only a hash shaped like a token is one (checkins.models.new_token: the check-in's number, a
// dot, 32 URL-safe characters). "#content" from "Skip to content", or "#id_q1-question" from an
// error link, is a place on the page: posted as a link, it had been refused ("This link is not
// valid") on a reload, and the page had lost what was typed.
(function () {
  const TOKEN = /^[0-9]{1,18}\.[A-Za-z0-9_-]{32}$/;
  const token = window.location.hash.slice(1).trim();
  const form = document.getElementById("open-link");
  if (!TOKEN.test(token) || !form) return;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  form.elements.link.value = token;
  form.submit();
})();
