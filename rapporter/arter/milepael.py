"""``milepael``: a milestone, its status and dated narrative set by an administrator; in a
finished year only the final assessment counts (:func:`rapporter.beregning.gaeldende_milepael`).
``fyrtaarn`` (optional) shows the records tagged with it as evidence."""

from .. import beregning
from .base import Art, registrer


@registrer
class Milepael(Art):
    navn = "milepael"
    milepaele = True
    visning = "milepael"
    uden_maaltal = "gennemført"
    med_enhed = False
    skabelon = "rapporter/arter/_milepael.html"
    excel = "milepael"

    def resultat(self, d, g, periode, idag):
        return beregning.resultat_milepael(d, g.milepaele.get(d.id, []), periode, idag)

    def poster(self, indikator, periode, del_, *, idag):
        til = periode.til if idag is None else beregning.indtastet_til(periode, idag)
        inden = {"dato__lte": til} if til is not None else {}
        return indikator.milepaelstatusser.filter(**inden).order_by("-dato", "-id")
