"""``antal``: a count of records (or of distinct companies, clusters …) in the period.

Parameters: ``grundlag`` and its filters (``maal/parametre.py``); the records and dates are
``rapporter.selectors.GRUNDLAG``'s. Judged pro rata during the year; the goal page draws the
count through the year and projects it to 31 December.
"""

from django.db.models import Count

from .. import beregning, diagrammer, selectors
from .base import Art, Optaelling, registrer


@registrer
class Antal(Art):
    navn = "antal"
    dele = ("taeller",)
    visning = "antal"
    kurve = True
    i_taellediagram = True
    excel = "udvikling"

    def optaellinger(self, d):
        grundlag = d.parametre.get("grundlag", "forloeb")
        g = selectors.GRUNDLAG[grundlag]
        filter_ = selectors.filter_q(grundlag, d.parametre) or None
        return [Optaelling(
            f"{d.noegle}|t", g.model, g.datofelt,
            Count(g.distinkt or "pk", distinct=bool(g.distinkt), filter=filter_),
        )]

    def resultat(self, d, g, periode, idag):
        return beregning.resultat_antal(d, g.tal[f"{d.noegle}|t"], periode, idag)

    def poster(self, indikator, periode, del_, *, idag):
        if del_ == "naevner":
            raise ValueError(f"{indikator.noegle} er et antal og har ingen nævner.")
        parametre = indikator.parametre or {}
        grundlag = parametre.get("grundlag", "forloeb")
        g = selectors.GRUNDLAG[grundlag]
        poster = selectors.husets(g.model, selectors.indikatorens_hus(indikator)).filter(
            selectors.i_perioden(g.datofelt, periode), selectors.filter_q(grundlag, parametre)
        )
        if g.distinkt:
            return g.distinkt_model.objects.filter(pk__in=poster.values(g.distinkt))
        return poster

    def figur(self, k):
        resultat, periode, idag = k["resultat"], k["periode"], k["idag"]
        forrige = k["forrige"]
        figur = diagrammer.udvikling_figur(
            resultat,
            selectors.kumulativ_udvikling(k["indikator"], periode, interval="dag", idag=idag),
            periode, idag, fremskrevet=k["fremskrevet"],
            sidste_aar=forrige and selectors.kumulativ_udvikling(
                forrige, k["forrige_periode"], interval="dag", idag=idag),
        )
        tekst = "Faktisk antal lagt sammen gennem året"
        if resultat.maalvaerdi is not None:
            tekst += ", holdt op mod måltallet fordelt jævnt over året"
        if k["fremskrevet"] is not None:
            tekst += "; den stiplede linje fremskriver det nuværende tempo til 31. december"
        if forrige:
            tekst += f"; den prikkede linje er {k['aar'] - 1}"
        return {"figur": figur, "figur_tekst": tekst + "."}
