"""Plotly figures for the goal pages, built from results and selector rows.

Each function returns a plain ``{"data": [...], "layout": {...}}`` dict that the template passes
to the page with ``json_script`` and ``kontrakt/static/js/diagrammer.js`` draws. The figures lay
out numbers the engine computed; the only arithmetic here is the projection to year end (the
pace so far carried on, which the contract does not define) and shifting last year's dates onto
this year's axis.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .beregning import MAANEDER, Periode, Resultat, rund

BLAA = "#0b5394"
GROEN = "#1e7b34"
GRAA = "#8a96a3"
MOERKGRAA = "#57606a"
ORANGE = "#b35900"
BAAND = "rgba(30, 123, 52, 0.12)"


def fremskrivning(resultat: Resultat, periode: Periode, idag: date) -> float | None:
    """The count at year end if the pace so far continues: ``faktisk / days elapsed × days in
    the year``, whole number. Only for a kind drawn through the year (``Art.kurve``: antal)
    while the year is under way; ``None`` once it has ended (whatever period is shown) and
    otherwise."""
    from .arter import art  # the kinds build their charts here

    if not art(resultat.art).kurve or resultat.faktisk is None or idag > date(periode.aar, 12, 31):
        return None
    dage = periode.dage_forloebet(idag)
    if dage <= 0:
        return None
    return rund(Decimal(str(resultat.faktisk)) * periode.dage_i_aar / dage, 0)


def samme_dag_sidste_aar(dato: date) -> date:
    """The same calendar day a year earlier; 29 February becomes 28 February."""
    try:
        return dato.replace(year=dato.year - 1)
    except ValueError:
        return date(dato.year - 1, 2, 28)


def samme_tid_sidste_aar(periode: Periode) -> Periode:
    """The period a year earlier at the same point: H1 → H1, helår → helår, a date → the date."""
    if periode.navn == "H1":
        return Periode.h1(periode.aar - 1)
    if periode.navn == "helaar":
        return Periode.helaar(periode.aar - 1)
    return Periode.pr_dato(samme_dag_sidste_aar(periode.til))


def _et_aar_frem(dato: date) -> date:
    try:
        return dato.replace(year=dato.year + 1)
    except ValueError:  # 29 February: shown on 1 March of the next year
        return date(dato.year + 1, 3, 1)


def _tal(vaerdi) -> float | int | None:
    if vaerdi is None:
        return None
    vaerdi = float(vaerdi)
    return int(vaerdi) if vaerdi.is_integer() else vaerdi


def udvikling_figur(
    resultat: Resultat,
    raekker: list[dict],
    periode: Periode,
    idag: date,
    *,
    fremskrevet: float | None = None,
    sidste_aar: list[dict] | None = None,
) -> dict:
    """Cumulative count through the year against the target spread evenly over the year.

    ``raekker`` are ``{"dato", "kumuleret"}`` rows from ``kumulativ_udvikling``; ``sidste_aar``
    the same for last year's contract, drawn on this year's calendar for comparison.
    """
    aar = periode.aar
    start, slut_aar = date(aar, 1, 1), date(aar, 12, 31)
    nu = min(periode.til, idag)
    x = [start.isoformat()] + [r["dato"].isoformat() for r in raekker]
    y = [0] + [r["kumuleret"] for r in raekker]
    if nu >= start and (not raekker or raekker[-1]["dato"] < nu):
        x.append(nu.isoformat())
        y.append(y[-1])
    data = [{
        "type": "scatter", "mode": "lines", "name": "Faktisk (kumuleret)",
        "x": x, "y": y, "line": {"color": BLAA, "width": 3, "shape": "hv"},
        "hovertemplate": "%{x|%d-%m-%Y}: %{y:,.0f}<extra></extra>",
    }]
    if resultat.maalvaerdi is not None:
        # From 0 at the end of 31 December before, so that on each day the line reads the
        # contract's pro rata with both ends counted (436.4 on 30 June 2025).
        nul = date(aar - 1, 12, 31).isoformat()
        data.append({
            "type": "scatter", "mode": "lines", "name": "Måltal fordelt jævnt over året",
            "x": [nul, slut_aar.isoformat()], "y": [0, _tal(resultat.maalvaerdi)],
            "line": {"color": GROEN, "width": 2},
            "hovertemplate": "Pro rata: %{y:,.1f}<extra></extra>",
        })
    if resultat.forventet is not None:
        data.append({
            "type": "scatter", "mode": "markers", "name": "Forventet (pro rata)",
            "x": [periode.til.isoformat()], "y": [_tal(resultat.forventet)],
            "marker": {"color": GROEN, "size": 10, "symbol": "diamond"},
            "hovertemplate": "Forventet %{x|%d-%m-%Y}: %{y:,.1f}<extra></extra>",
        })
    if fremskrevet is not None and nu < slut_aar:
        data.append({
            "type": "scatter", "mode": "lines+markers", "name": "Fremskrevet til årets udgang",
            "x": [nu.isoformat(), slut_aar.isoformat()], "y": [y[-1], _tal(fremskrevet)],
            "line": {"color": BLAA, "width": 2, "dash": "dash"},
            "marker": {"size": [0, 8], "color": BLAA},
            "hovertemplate": "Fremskrevet: %{y:,.0f}<extra></extra>",
        })
    if sidste_aar:
        data.append({
            "type": "scatter", "mode": "lines", "name": f"{aar - 1} (samme dato)",
            "x": [start.isoformat()] + [_et_aar_frem(r["dato"]).isoformat() for r in sidste_aar],
            "y": [0] + [r["kumuleret"] for r in sidste_aar],
            "line": {"color": GRAA, "width": 2, "dash": "dot", "shape": "hv"},
            "hovertemplate": f"{aar - 1}: " + "%{y:,.0f}<extra></extra>",
        })
    return {
        "data": data,
        "layout": {
            "xaxis": {"type": "date", "range": [start.isoformat(), slut_aar.isoformat()],
                      "tickformat": "%b", "dtick": "M1", "showgrid": False},
            "yaxis": {"title": {"text": "Antal, kumuleret"}, "rangemode": "tozero",
                      "tickformat": ",d", "gridcolor": "#e6e9ec"},
            "shapes": [{
                "type": "line", "xref": "x", "yref": "paper", "x0": nu.isoformat(),
                "x1": nu.isoformat(), "y0": 0, "y1": 1,
                "line": {"color": MOERKGRAA, "width": 1, "dash": "dot"},
            }],
            "annotations": [{
                "x": nu.isoformat(), "y": 1, "xref": "x", "yref": "paper", "yanchor": "bottom",
                "text": f"{nu.day}. {MAANEDER[nu.month - 1][:3]}.", "showarrow": False,
                "xanchor": _kant(nu, start, slut_aar), "font": {"size": 11, "color": MOERKGRAA},
            }],
            "hovermode": "x unified",
        },
    }


def _kant(dato: date, start: date, slut: date) -> str:
    """Which side of the date line its label hangs on: centred over it, but inside the plot
    near the year's ends, where a centred "31. dec." was cut off at the chart's right edge."""
    andel = (dato - start).days / (slut - start).days
    return "right" if andel > 0.9 else "left" if andel < 0.1 else "center"


def by_land_figur(resultat: Resultat) -> dict:
    """The category's (land- or bykommuner) share of guided companies (or forløb) against its
    share of the population, with the band the target allows (population share ± the target in
    percentage points)."""
    kategori = resultat.detaljer.get("kategori", "land")
    andel = resultat.detaljer.get(f"andel_{kategori}")
    befolkning = resultat.detaljer.get(f"befolkningsandel_{kategori}")
    navn = "Landkommuner" if kategori == "land" else "Bykommuner"
    enheder = ("gennemførte forløb" if resultat.detaljer.get("grundlag") == "forloeb"
               else "vejledte virksomheder")
    data = [{
        "type": "bar", "orientation": "h", "name": "Andel",
        "y": [f"Andel af {enheder}", "Andel af befolkningen"],
        "x": [_tal(andel), _tal(befolkning)],
        "marker": {"color": [BLAA, GRAA]},
        "text": [_procent_tekst(andel), _procent_tekst(befolkning)],
        "textposition": "outside", "cliponaxis": False,
        "hovertemplate": "%{y}: %{x:.1f} %<extra></extra>",
    }]
    shapes = []
    if befolkning is not None and resultat.maalvaerdi is not None:
        midte, graense = Decimal(str(befolkning)), Decimal(str(resultat.maalvaerdi))
        shapes.append({
            "type": "rect", "xref": "x", "yref": "paper", "layer": "below", "line": {"width": 0},
            "x0": _tal(max(midte - graense, 0)), "x1": _tal(min(midte + graense, 100)),
            "y0": 0, "y1": 1, "fillcolor": BAAND,
        })
    return {
        "data": data,
        "layout": {
            "title": {"text": navn, "font": {"size": 14}, "x": 0},
            "xaxis": {"range": [0, 100], "ticksuffix": " %", "gridcolor": "#e6e9ec"},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "showlegend": False, "shapes": shapes, "height": 220,
            "margin": {"l": 16, "r": 24, "t": 36, "b": 36},
        },
    }


def henvisning_figur(resultat: Resultat, raekker: list[dict], *, i_alt: str) -> dict:
    """Shares of the indicator's forløb with a referral, in all to the indicator's aktør types
    (its figure, named ``i_alt``) and per aktør type (``henvisninger_efter_aktoertype``),
    against the target."""
    navne = [i_alt]
    vaerdier = [_tal(resultat.faktisk)]
    farver = [BLAA]
    for raekke in raekker:
        navne.append(raekke["navn"])
        vaerdier.append(_tal(raekke["andel"]))
        farver.append(GRAA)
    shapes, annotations = [], []
    if resultat.maalvaerdi is not None:
        maal = _tal(resultat.maalvaerdi)
        shapes.append({
            "type": "line", "xref": "x", "yref": "paper", "x0": maal, "x1": maal, "y0": 0,
            "y1": 1, "line": {"color": GROEN, "width": 2, "dash": "dash"},
        })
        annotations.append({
            "x": maal, "y": 1, "xref": "x", "yref": "paper", "yanchor": "bottom",
            "text": f"Mål {_procent_tekst(maal, decimaler=0 if float(maal).is_integer() else 1)}",
            "showarrow": False,
            "font": {"color": GROEN, "size": 12},
        })
    return {
        "data": [{
            "type": "bar", "orientation": "h", "y": navne, "x": vaerdier,
            "marker": {"color": farver},
            "text": [_procent_tekst(v) for v in vaerdier], "textposition": "outside",
            "cliponaxis": False, "hovertemplate": "%{y}: %{x:.1f} %<extra></extra>",
        }],
        "layout": {
            "xaxis": {"range": [0, 105], "ticksuffix": " %", "gridcolor": "#e6e9ec"},
            "yaxis": {"autorange": "reversed", "automargin": True},
            "showlegend": False, "shapes": shapes, "annotations": annotations,
            "height": 90 + 42 * len(navne), "margin": {"l": 16, "r": 40, "t": 28, "b": 36},
        },
    }


def _procent_tekst(vaerdi, *, decimaler: int = 1) -> str:
    if vaerdi is None:
        return "–"
    return f"{float(vaerdi):.{decimaler}f}".replace(".", ",") + " %"
