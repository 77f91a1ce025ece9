"""``fordeling``: how the guided companies (``grundlag: virksomheder``) or the forløb gennemført
i P (``grundlag: forloeb``) of the house's region spread over its by- and landkommuner: the share
in kommuner of ``kategori`` (``land`` or ``by``) against the category's share of the population.
The figure is the deviation in percentage points, the degree met that deviation itself.

The by/land table is the contract's (``maal.ByLand``), else Danmarks Statistik's kommunegruppe;
the counts per kommune come from the forløb aggregate the other kinds share (one pass over the
forløb), so the kind costs two queries (kommuner and population) whatever its number.
"""

from django.db.models import Count

from forloeb.models import Forloeb, Virksomhed

from .. import beregning, diagrammer, selectors
from .base import Art, Optaelling, registrer

KATEGORI_NAVN = {"land": "landkommuner", "by": "bykommuner"}
KATEGORIERNE = {"land": "Landkommunernes", "by": "Bykommunernes"}
# How the counted units are named: in the figure's text, the key figures and the label.
ENHEDER = {"virksomheder": "vejledte virksomheder", "forloeb": "gennemførte forløb"}
KORT = {"virksomheder": ("vejledte", "Vejledte"), "forloeb": ("forløbene", "Forløb")}


def _grundlag(parametre: dict) -> str:
    return parametre.get("grundlag", "virksomheder")


def _navn(grundlag: str) -> str:
    return f"|kommune|{grundlag}"


@registrer
class Fordeling(Art):
    navn = "fordeling"
    kommuner = True
    dele = ("taeller", "naevner")
    visning = "andel"
    faktisk_etiket = "Afvigelse"
    opfyldelse_enhed = "procentpoint"
    skabelon = "rapporter/arter/_fordeling.html"
    excel = "per_kommune"

    def optaellinger(self, d):
        grundlag = _grundlag(d.parametre)
        udtryk = (Count("virksomhed", distinct=True) if grundlag == "virksomheder"
                  else Count("pk"))
        return [Optaelling(_navn(grundlag), Forloeb, "slutdato", udtryk, pr_kommune=True)]

    def resultat(self, d, g, periode, idag):
        kommuner = g.kommunetal(_navn(_grundlag(d.parametre)))
        return beregning.resultat_fordeling(d, kommuner, periode, idag)

    def poster(self, indikator, periode, del_, *, idag):
        parametre = indikator.parametre or {}
        kategorier = selectors.by_land(indikator.maal.kontrakt)
        kommuner = list(kategorier)
        if del_ == "taeller":
            kategori = parametre.get("kategori", "land")
            kommuner = [k for k, kat in kategorier.items() if kat == kategori]
        forloeb = selectors.husets(Forloeb, selectors.indikatorens_hus(indikator)).filter(
            selectors.i_perioden("slutdato", periode))
        if _grundlag(parametre) == "forloeb":
            return forloeb.filter(virksomhed__kommune_id__in=kommuner).select_related(
                "virksomhed"
            )
        return Virksomhed.objects.filter(
            pk__in=forloeb.values("virksomhed"), kommune_id__in=kommuner
        ).select_related("kommune")

    def taeller_naevner_etiket(self, resultat):
        return f"{self._kort(resultat)[1]} i {self._kategori(resultat)} af alle"

    def ekstra_noegletal(self, resultat):
        kategori = resultat.detaljer.get("kategori", "land")
        navn = KATEGORIERNE.get(kategori, kategori)
        return [
            (f"{navn} andel af {self._kort(resultat)[0]}",
             resultat.detaljer.get(f"andel_{kategori}"), "procent"),
            (f"{navn} andel af befolkningen",
             resultat.detaljer.get(f"befolkningsandel_{kategori}"), "procent"),
        ]

    def figur(self, k):
        resultat = k["resultat"]
        return {
            "figur": diagrammer.by_land_figur(resultat),
            "figur_tekst": f"{KATEGORIERNE.get(resultat.detaljer.get('kategori', 'land'))} "
            "andel af de "
            f"{self._enheder(resultat)} og af befolkningen. Det grønne bånd er den afvigelse, "
            "målet tillader.",
        }

    def json_ekstra(self, resultat):
        # KONTRAKT-2025.md fixes andel_land/befolkningsandel_land; "by" gives andel_by/…_by.
        kategori = resultat.detaljer.get("kategori", "land")
        return {
            f"andel_{kategori}": beregning.json_tal(resultat.detaljer.get(f"andel_{kategori}")),
            f"befolkningsandel_{kategori}": beregning.json_tal(
                resultat.detaljer.get(f"befolkningsandel_{kategori}")
            ),
        }

    @staticmethod
    def _kategori(resultat) -> str:
        return KATEGORI_NAVN.get(resultat.detaljer.get("kategori", "land"), "landkommuner")

    @staticmethod
    def _kort(resultat) -> tuple[str, str]:
        return KORT[resultat.detaljer.get("grundlag", "virksomheder")]

    @staticmethod
    def _enheder(resultat) -> str:
        return ENHEDER[resultat.detaljer.get("grundlag", "virksomheder")]
