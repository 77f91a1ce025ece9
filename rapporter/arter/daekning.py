"""``daekning``: how many of a known set of aktører took part in an aktivitet in the period.

Parameters: ``aktoertype`` (the set: aktører of the type serving a kommune of the house's
region), ``aktivitetstype`` and ``maal_alle`` (the target is the whole set). One query per
indicator (``rapporter.selectors.daekning``). Judged pro rata during the year.
"""

from .. import beregning, selectors
from .base import Art, registrer


@registrer
class Daekning(Art):
    navn = "daekning"
    dele = ("taeller", "naevner")
    visning = "taeller_naevner"
    i_taellediagram = True
    skabelon = "rapporter/arter/_daekning.html"
    excel = "daekning"

    def resultat(self, d, g, periode, idag):
        daekkede, alle = selectors.daekning(g.kontrakt, d.parametre, periode)
        return beregning.resultat_daekning(d, daekkede, alle, periode, idag)

    def poster(self, indikator, periode, del_, *, idag):
        saet = selectors.daekning_qs(indikator.maal.kontrakt, indikator.parametre or {}, periode)
        return saet.filter(daekket=True) if del_ == "taeller" else saet
