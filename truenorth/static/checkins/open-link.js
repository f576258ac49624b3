// A personal check-in link is /c/#<token>. Browsers never send what follows "#", so the token
// reaches no request line and no server log. Take it out of the address bar (and history), then
// post it with the page's form; the server keeps it in a short-lived cookie.
//
// Only a hash shaped like a token is one (checkins.models.new_token: the check-in's number, a
// dot, 32 URL-safe characters), or like the start of one: a link a mail client cut short is
// posted too, so that the server says it is incomplete rather than nothing being said. "#content"
// from "Skip to content", or "#id_q1-question" from an error link, is a place on the page:
// posted as a link, it had been refused ("This link is not valid") on a reload, and the page had
// lost what was typed.
//
// A second link opened in the same tab changes only the hash, and a browser does not load the
// page again for that: without "hashchange", the questions of the first link stayed on the page
// and the answers typed were saved to it.
(function () {
  const TOKEN_OR_ITS_START = /^[0-9]{1,18}\.[A-Za-z0-9_-]{1,32}$/;

  function openLinkInHash() {
    const token = window.location.hash.slice(1).trim();
    const form = document.getElementById("open-link");
    if (!TOKEN_OR_ITS_START.test(token) || !form) return;
    history.replaceState(null, "", window.location.pathname + window.location.search);
    form.elements.link.value = token;
    form.submit();
  }

  openLinkInHash();
  window.addEventListener("hashchange", openLinkInHash);
})();
