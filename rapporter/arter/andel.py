"""``andel``: the share of the forløb gennemført i P (``grundlag: forloeb``), or of the companies
with such a forløb (``grundlag: virksomheder``), that have at least one henvisning to an aktør of
one of ``henvist_til_aktoertyper``; ``forloebstyper`` narrows the forløb. An empty denominator
waits (``afventer``).

The goal page shows beside it the same share for each aktør type (the referral table and its
chart), its "i alt" row being exactly the indicator's figure.
"""

from django.db.models import Count

from forloeb.models import Forloeb, Virksomhed

from .. import beregning, diagrammer, selectors
from .base import Art, Optaelling, registrer


@registrer
class Andel(Art):
    navn = "andel"
    dele = ("taeller", "naevner")
    visning = "andel"
    skabelon = "rapporter/arter/_andel.html"
    excel = "henvisninger"

    def optaellinger(self, d):
        naevner_q, taeller_q = selectors.andel_q(d.parametre)
        felt, distinkt = selectors.andel_felt(d.parametre)
        return [
            Optaelling(f"{d.noegle}|n", Forloeb, "slutdato",
                       Count(felt, distinct=distinkt, filter=naevner_q or None)),
            Optaelling(f"{d.noegle}|t", Forloeb, "slutdato",
                       Count(felt, distinct=distinkt, filter=taeller_q)),
        ]

    def resultat(self, d, g, periode, idag):
        return beregning.resultat_andel(
            d, g.tal[f"{d.noegle}|t"], g.tal[f"{d.noegle}|n"], periode, idag
        )

    def poster(self, indikator, periode, del_, *, idag):
        parametre = indikator.parametre or {}
        naevner_q, taeller_q = selectors.andel_q(parametre)
        forloeb = selectors.husets(Forloeb, selectors.indikatorens_hus(indikator)).filter(
            selectors.i_perioden("slutdato", periode),
            taeller_q if del_ == "taeller" else naevner_q,
        )
        if parametre.get("grundlag") == "virksomheder":
            return Virksomhed.objects.filter(pk__in=forloeb.values("virksomhed"))
        return forloeb.select_related("virksomhed")

    def taeller_naevner_etiket(self, resultat):
        return ("Virksomheder med henvisning af alle" if _grundlag(resultat) == "virksomheder"
                else "Henviste forløb af alle")

    def figur(self, k):
        indikator, resultat = k["indikator"], k["resultat"]
        parametre = indikator.parametre or {}
        alle = selectors.henvisninger_efter_aktoertype(
            k["periode"], parametre["henvist_til_aktoertyper"],
            forloebstyper=parametre.get("forloebstyper"), grundlag=parametre["grundlag"],
            erhvervshus_id=selectors.indikatorens_hus(indikator),
        )
        raekker = [r for r in alle if r["aktoertype"] != selectors.I_ALT]
        i_alt = alle[-1]
        enheder = "virksomhederne" if parametre["grundlag"] == "virksomheder" else "forløbene"
        return {
            "figur": diagrammer.henvisning_figur(resultat, raekker, i_alt=i_alt["navn"]),
            "henvisninger": alle,
            "figur_tekst": f"Andel af {enheder} med mindst én henvisning: til "
            f"{i_alt['beskrivelse']} i alt (det, målet tæller) og til hver type aktør. Den "
            "stiplede linje er målet.",
        }


def _grundlag(resultat) -> str:
    return resultat.detaljer.get("grundlag", "forloeb")
