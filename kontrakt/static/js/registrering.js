/* Registrering: suggestions for the company field as you type, more henvisning rows, and focus
   on what needs attention. Everything here is an enhancement; the forms work without it. */
(function () {
  "use strict";

  var CVR = /^\d{8}$/;
  var VAEGTE = [2, 7, 6, 5, 4, 3, 2, 1];

  function kompakt(tekst) {
    return tekst.replace(/[\s.-]/g, "").replace(/^DK/i, "");
  }

  /* What is wrong with an 8-digit CVR, as the server says it (forloeb/validators.py), or "". */
  function cvrFejl(cvr) {
    if (cvr.charAt(0) === "0") return "Et CVR-nummer kan ikke begynde med 0.";
    var sum = 0;
    for (var i = 0; i < 8; i++) sum += VAEGTE[i] * parseInt(cvr.charAt(i), 10);
    if (sum % 11 !== 0) {
      return cvr + " er ikke et gyldigt CVR-nummer (kontrolcifferet passer ikke).";
    }
    return "";
  }

  /* The company field: a combobox (ARIA 1.2 pattern) over /registrering/virksomheder/soeg/. */
  function virksomhedsvalg(boks) {
    var input = boks.querySelector("input[name$='soeg']");
    var liste = boks.querySelector("[role=listbox]");
    var valgt = boks.querySelector(".valgt");
    var ny = boks.querySelector("[data-ny-virksomhed]");
    var url = boks.getAttribute("data-soeg-url");
    var resultater = [];
    var aktiv = -1;
    var timer = null;
    var spurgt = "";
    var besvaret = null;  // the compacted text the current results answer
    // The server's error on the field stays in charge of the line below it until the next save.
    var serverfejl = !!boks.querySelector(".kombi.har-fejl");
    if (!input || !liste) return;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", liste.id);
    if (ny && ny.hasAttribute("data-skjul")) ny.hidden = true;

    function beskriv(v) {
      return v.navn + ", CVR " + v.cvr + ", " + v.kommune + " (stiftet " + v.stiftelsesdato + ")";
    }

    function luk() {
      liste.hidden = true;
      aktiv = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function vis() {
      liste.textContent = "";
      resultater.forEach(function (v, i) {
        var li = document.createElement("li");
        li.id = liste.id + "_" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", i === aktiv ? "true" : "false");
        li.textContent = v.navn + " – " + v.cvr + " · " + v.kommune;
        li.addEventListener("mousedown", function (e) {
          e.preventDefault();  // keep focus in the field
          vaelg(i);
        });
        liste.appendChild(li);
      });
      liste.hidden = resultater.length === 0;
      input.setAttribute("aria-expanded", resultater.length ? "true" : "false");
      if (aktiv >= 0) {
        input.setAttribute("aria-activedescendant", liste.id + "_" + aktiv);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function vaelg(i) {
      var v = resultater[i];
      input.value = v.cvr;
      resultater = [v];
      luk();
      opdaterStatus();
    }

    function status(tekst, tone) {
      if (serverfejl) return;
      valgt.textContent = tekst;
      valgt.classList.toggle("fejl", tone === "fejl");
      valgt.classList.toggle("info", tone === "info");
    }

    function visNy(synlig) {
      if (ny) ny.hidden = !synlig;
    }

    /* What the field now means: a known company, a CVR that cannot exist, a new company (show
       its fields, but only once a search on that very CVR has found nothing) or nothing yet. */
    function opdaterStatus() {
      var tekst = kompakt(input.value);
      var svaret = besvaret === tekst;
      var kendt = resultater.filter(function (v) { return v.cvr === tekst; })[0];
      if (kendt) {
        status("Valgt: " + beskriv(kendt));
        visNy(false);
      } else if (CVR.test(tekst) && cvrFejl(tekst)) {
        status(cvrFejl(tekst), "fejl");
        visNy(false);
      } else if (CVR.test(tekst)) {
        if (svaret) {
          status("Ny virksomhed: udfyld navn, kommune og stiftelsesdato herunder.");
          visNy(true);
        } else {
          status("");  // still asking the server whether the CVR is known
        }
      } else if (svaret && tekst.length >= 2 && resultater.length === 0) {
        status("Ingen virksomhed fundet. Skriv CVR-nummeret for at oprette en ny.", "info");
      } else {
        status("");
      }
    }

    function soeg(aabn) {
      var q = input.value.trim();
      spurgt = q;
      if (q.length < 2) {
        resultater = [];
        besvaret = null;
        luk();
        opdaterStatus();
        return;
      }
      fetch(url + "?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" }, credentials: "same-origin",
      })
        .then(function (svar) { return svar.ok ? svar.json() : { resultater: [] }; })
        .then(function (data) {
          if (q !== spurgt) return;  // an answer to an older question
          resultater = data.resultater;
          besvaret = kompakt(q);
          aktiv = -1;
          var eneste = resultater.length === 1 && resultater[0].cvr === kompakt(q);
          if (aabn && !eneste) vis(); else luk();
          opdaterStatus();
        })
        .catch(function () { /* no suggestions; the field still works as plain text */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { soeg(true); }, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (liste.hidden) {
        if (e.key === "ArrowDown" && resultater.length) { aktiv = 0; vis(); e.preventDefault(); }
        return;
      }
      if (e.key === "ArrowDown") {
        aktiv = Math.min(aktiv + 1, resultater.length - 1);
        vis();
        e.preventDefault();
      } else if (e.key === "ArrowUp") {
        aktiv = Math.max(aktiv - 1, 0);
        vis();
        e.preventDefault();
      } else if (e.key === "Enter" && (aktiv >= 0 || resultater.length === 1)) {
        vaelg(Math.max(aktiv, 0));
        e.preventDefault();  // choose, do not submit
      } else if (e.key === "Escape") {
        luk();
        e.preventDefault();
      } else if (e.key === "Tab" && aktiv >= 0) {
        vaelg(aktiv);
      }
    });
    input.addEventListener("blur", function () { setTimeout(luk, 150); });
    if (input.value.trim()) soeg(false);
  }

  /* "Tilføj henvisning": a new row from the formset's empty form. */
  function henvisninger(form) {
    var raekker = form.querySelector("[data-henvisninger]");
    var skabelon = form.querySelector("template[data-henvisning-skabelon]");
    var knap = form.querySelector("[data-tilfoej-henvisning]");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    if (!raekker || !skabelon || !knap || !total) return;
    knap.hidden = false;
    knap.addEventListener("click", function () {
      var nr = parseInt(total.value, 10);
      raekker.insertAdjacentHTML("beforeend", skabelon.innerHTML.replace(/__prefix__/g, nr));
      total.value = nr + 1;
      var raekke = raekker.lastElementChild;
      raekke.querySelector("legend").textContent = "Henvisning " + (nr + 1);
      raekke.querySelector("input[type=text]").focus();
    });
  }

  /* The error summary takes focus; its links move focus to the field, not only the view. */
  function fejlopsummering() {
    var boks = document.querySelector(".fejlopsummering");
    if (!boks) return false;
    boks.focus();
    boks.addEventListener("click", function (e) {
      var link = e.target.closest("a[href^='#']");
      var felt = link && document.getElementById(link.getAttribute("href").slice(1));
      if (felt) {
        e.preventDefault();
        felt.focus();
        felt.scrollIntoView({ block: "center" });
      }
    });
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-virksomhedsvalg]").forEach(virksomhedsvalg);
    document.querySelectorAll("form.registrering").forEach(henvisninger);
    if (!fejlopsummering()) {
      var foerste = document.querySelector("form[data-autofokus] input:not([type=hidden])");
      if (foerste) foerste.focus();
    }
  });
})();
