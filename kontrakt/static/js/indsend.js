/* A form that writes (method post) is sent once: from its submit until the next page, its
   buttons are marked aria-disabled and the one pressed says "Gemmer …", and a second click or
   Enter does nothing. The server saves a second submit once too (the form's one-time id or
   the record's key); this keeps the double click from reaching it.

   aria-disabled rather than disabled: the button keeps the focus and its place for keyboard
   and screen reader, and a disabled button would not send its own name=value (naeste=ny of
   "Gem og opret ny"). Coming back to the page from the browser's cache, it works again.
   Loaded by base.html on every page; no inline script (CSP). */
(function () {
  "use strict";

  var GEMMER = "Gemmer …";

  function knapper(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }

  function sender(form, trykket) {
    form.setAttribute("data-sender", "");
    form.setAttribute("aria-busy", "true");
    knapper(form).forEach(function (knap) {
      knap.setAttribute("aria-disabled", "true");
    });
    if (trykket && trykket.tagName === "BUTTON") {
      trykket.setAttribute("data-tekst", trykket.textContent);
      trykket.textContent = GEMMER;
    }
  }

  function klar(form) {
    form.removeAttribute("data-sender");
    form.removeAttribute("aria-busy");
    knapper(form).forEach(function (knap) {
      knap.removeAttribute("aria-disabled");
      if (knap.hasAttribute("data-tekst")) {
        knap.textContent = knap.getAttribute("data-tekst");
        knap.removeAttribute("data-tekst");
      }
    });
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    if (form.hasAttribute("data-sender")) {
      e.preventDefault();  // already on its way
      return;
    }
    if (e.defaultPrevented) return;  // another script stopped this submit
    sender(form, e.submitter);
  });

  // A click on a marked button while its form is on its way: nothing (no second submit).
  document.addEventListener("click", function (e) {
    var knap = e.target.closest && e.target.closest("[aria-disabled=true]");
    if (knap && knap.form && knap.form.hasAttribute("data-sender")) e.preventDefault();
  }, true);

  window.addEventListener("pageshow", function (e) {
    if (e.persisted) document.querySelectorAll("form[data-sender]").forEach(klar);
  });
})();
