/* Draws every chart on a page from the figure JSON the server put there.
 *
 * A chart is a <div data-diagram="ID"> next to {{ figur|json_script:"ID" }}; the figure is a
 * plotly {data, layout} pair built by rapporter/diagrammer.py. This script only draws: the
 * numbers, colours and texts all come from the server. plotly.js is loaded before it from our own
 * static URL (no CDN), and the page keeps a table of the same numbers for when it is missing.
 */
(function () {
  "use strict";

  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  var KONFIG = {
    displaylogo: false,
    responsive: true,
    locale: "da",
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    toImageButtonOptions: {format: "png", scale: 2}
  };
  var GRUNDLAYOUT = {
    separators: ",.",
    font: {family: FONT, size: 13, color: "#1d2329"},
    paper_bgcolor: "#fff",
    plot_bgcolor: "#fff",
    margin: {l: 56, r: 16, t: 16, b: 48},
    legend: {orientation: "h", y: -0.18},
    hoverlabel: {font: {family: FONT}}
  };

  // Danish month names, dates and numbers on the axes and in hover labels.
  var DANSK = {
    moduleType: "locale",
    name: "da",
    dictionary: {
      "Download plot as a png": "Gem diagrammet som PNG",
      "Zoom": "Zoom", "Pan": "Panorér", "Zoom in": "Zoom ind", "Zoom out": "Zoom ud",
      "Reset axes": "Nulstil akser", "Double-click to zoom back out": "Dobbeltklik for at zoome ud",
      "Show closest data on hover": "Vis nærmeste data", "Compare data on hover": "Sammenlign data"
    },
    format: {
      days: ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
      shortDays: ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
      months: ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
        "september", "oktober", "november", "december"],
      shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt",
        "nov", "dec"],
      date: "%d-%m-%Y",
      decimal: ",",
      thousands: "."
    }
  };
  if (window.Plotly) {
    window.Plotly.register(DANSK);
  }

  function flet(grund, egen) {
    var ud = {};
    Object.keys(grund).forEach(function (k) { ud[k] = grund[k]; });
    Object.keys(egen || {}).forEach(function (k) { ud[k] = egen[k]; });
    return ud;
  }

  function tegn(element) {
    var kilde = document.getElementById(element.getAttribute("data-diagram"));
    if (!kilde || !window.Plotly) {
      return;
    }
    var figur = JSON.parse(kilde.textContent);
    element.classList.add("diagram-tegnet");
    if (figur.layout && figur.layout.height) {
      element.style.height = figur.layout.height + "px";
    }
    window.Plotly.newPlot(
      element, figur.data || [], flet(GRUNDLAYOUT, figur.layout), KONFIG
    );
  }

  function alle() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-diagram]"));
  }

  alle().forEach(tegn);

  // Draw the charts at the paper's width before printing (A4 portrait between 12 mm margins),
  // and back at the window's width afterwards: plotly sizes its SVG in pixels once drawn.
  var PAPIRBREDDE = 700;
  function tegnede() {
    return alle().filter(function (element) {
      return window.Plotly && element.classList.contains("diagram-tegnet");
    });
  }
  window.addEventListener("beforeprint", function () {
    tegnede().forEach(function (element) {
      window.Plotly.relayout(element, {width: PAPIRBREDDE, autosize: false});
    });
  });
  window.addEventListener("afterprint", function () {
    tegnede().forEach(function (element) {
      window.Plotly.relayout(element, {width: null, autosize: true});
    });
  });
})();
