// The import's progress (templates/forloeb/import/_fremskridt.html): asks the run's JSON status
// every second, redraws the state and each sheet's bar, and reloads the page when the run is
// done, so the server shows the answer. No inline script: the page's CSP allows only ours.
(function () {
  "use strict";
  var boks = document.getElementById("import-fremskridt");
  if (!boks || boks.dataset.aktiv !== "1") return;
  var url = boks.dataset.statusUrl;
  var status = document.getElementById("import-status");
  var foran = document.getElementById("import-foran");
  var ingenArbejder = document.getElementById("import-ingen-arbejder");
  var raekker = document.querySelector("#import-ark tbody");
  var opdater = document.getElementById("import-opdater");
  if (opdater) opdater.parentNode.hidden = true; // the script updates; the link is for no-JS

  function celle(tag, tekst) {
    var el = document.createElement(tag);
    if (tekst !== undefined) el.textContent = tekst;
    return el;
  }

  function raekke(a) {
    var tr = document.createElement("tr");
    var th = celle("th", a.ark);
    th.scope = "row";
    var bar = celle("progress", a.tekst);
    bar.max = Math.max(a.laest, 1);
    if (a.kontrolleret) bar.value = a.kontrolleret;
    bar.setAttribute("aria-label", a.ark === "–" ? a.tekst : a.ark + ": " + a.tekst);
    bar.className = "import-bar";
    bar.style.width = "100%";
    var td = celle("td");
    td.appendChild(bar);
    tr.append(th, td, celle("td", a.tekst));
    return tr;
  }

  function tegn(data) {
    if (status.textContent !== data.tekst) status.textContent = data.tekst;
    if (foran) {
      foran.textContent = "Før din: " + data.foran + ".";
      foran.hidden = !data.foran;
    }
    if (ingenArbejder) ingenArbejder.hidden = !data.ingen_arbejder;
    var ark = data.ark.length ? data.ark : [{
      ark: "–", laest: 0, kontrolleret: 0,
      tekst: data.status === "venter" ? "Venter på at starte" : "Åbner filen",
    }];
    if (raekker) raekker.replaceChildren.apply(raekker, ark.map(raekke));
  }

  function spoerg() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (svar) {
        if (!svar.ok) throw new Error("HTTP " + svar.status);
        return svar.json();
      })
      .then(function (data) {
        tegn(data);
        if (data.aktiv) window.setTimeout(spoerg, 1000);
        else window.location.reload();
      })
      .catch(function () {
        window.setTimeout(spoerg, 3000); // the server restarting: keep asking, more slowly
      });
  }

  window.setTimeout(spoerg, 1000);
})();
