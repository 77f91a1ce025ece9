"""``forhold``: the ratio of two entered values (gearing), ``taeller`` and ``naevner`` naming
their keys. Each counts as a måling does; while either is missing the ratio waits."""

from .. import beregning
from .base import Art, registrer
from .maaling import maalinger_af


@registrer
class Forhold(Art):
    navn = "forhold"
    excel = "maalinger"

    def maalte_noegler(self, noegle, parametre):
        return [parametre["taeller"], parametre["naevner"]]

    def resultat(self, d, g, periode, idag):
        taeller = beregning.seneste_maaling(g.maalinger, d.parametre["taeller"], g.til)
        naevner = beregning.seneste_maaling(g.maalinger, d.parametre["naevner"], g.til)
        return beregning.resultat_forhold(d, taeller, naevner, periode, idag)

    def poster(self, indikator, periode, del_, *, idag):
        return maalinger_af(indikator, (indikator.parametre or {})[del_], periode, idag)
