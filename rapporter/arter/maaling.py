"""``maaling``: a value measured outside the house, entered with its source under the
indicator's own key. The latest of the year dated by the period's end counts
(:func:`rapporter.beregning.indtastet_til`)."""

from maal.models import Maaling

from .. import beregning
from .base import Art, registrer


def maalinger_af(indikator, noegle, periode, idag):
    """The entered values of ``noegle`` within the period's bound, latest first: the first is
    the one that counts."""
    kontrakt = indikator.maal.kontrakt
    til = periode.til if idag is None else beregning.indtastet_til(periode, idag)
    inden = {"dato__lte": til} if til is not None else {}
    return Maaling.objects.filter(
        erhvervshus_id=kontrakt.erhvervshus_id, aar=kontrakt.aar, noegle=noegle, **inden,
    ).order_by("-dato", "-id")


@registrer
class Maalt(Art):
    navn = "maaling"
    excel = "maalinger"

    def maalte_noegler(self, noegle, parametre):
        return [noegle]

    def resultat(self, d, g, periode, idag):
        seneste = beregning.seneste_maaling(g.maalinger, d.noegle, g.til)
        return beregning.resultat_maaling(d, seneste, periode, idag)

    def poster(self, indikator, periode, del_, *, idag):
        if del_ == "naevner":
            raise ValueError(f"{indikator.noegle} er en måling og har ingen nævner.")
        return maalinger_af(indikator, indikator.noegle, periode, idag)
