"""The drill-down: a figure opens to exactly the records it counts, numerator and denominator
apart, page by page, and to the same records as an importable workbook."""

import io
import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from forloeb import services
from forloeb.models import Forloeb, Virksomhed
from tests import factories as f


def HUS():  # noqa: N802
    """Erhvervshus Sjælland's id, for records built without the services."""
    from tests.factories import erhvervshus

    return erhvervshus().pk

H1 = {"aar": 2025, "periode": "H1"}


def poster(client, noegle, **params):
    return client.get(reverse("rapporter:poster", args=[noegle]), {**H1, **params})


def tekst(svar) -> str:
    ord_ = " ".join(unescape(re.sub(r"<[^>]+>", " ", svar.content.decode())).split())
    return ord_.replace(" .", ".")


def ekstern_ider(svar) -> list[str]:
    """The ids in the first column of the record table, in order."""
    tabel = re.search(r"<tbody>(.*?)</tbody>", svar.content.decode(), re.S).group(1)
    return [unescape(c).strip() for c in re.findall(r"<tr><td[^>]*>(.*?)</td>", tabel)]



@pytest.fixture
def handlingsplaner(kontrakt_2025):
    """Four handlingsplaner finished in H1: two referred to ekstern rådgivning, one only to
    lokal erhvervsservice, one not at all; and two that must not count anywhere."""
    def hp(eid, slut, henvist_til=()):
        f.forloeb(ekstern_id=eid, type="handlingsplan", startdato=date(2025, 1, 5),
                  slutdato=slut, henvist_til=henvist_til)
    hp("HP-STAT", date(2025, 2, 1), ["Innovationsfonden"])
    services.aktoer_create(navn="Rådgiver A ApS", type="privat")
    hp("HP-PRIV", date(2025, 6, 30), ["Rådgiver A ApS", "Lokal erhvervsservice Slagelse"])
    hp("HP-LOKAL", date(2025, 3, 1), ["Lokal erhvervsservice Slagelse"])
    hp("HP-INGEN", date(2025, 4, 1))
    hp("HP-JULI", date(2025, 7, 1), ["Innovationsfonden"])  # after H1
    hp("HP-IGANG", None, ["Innovationsfonden"])  # igangværende
    f.forloeb(ekstern_id="KORT-1", type="kort", startdato=date(2025, 1, 5),
              slutdato=date(2025, 2, 1), henvist_til=["Innovationsfonden"])
    return kontrakt_2025


def test_numerator_lists_exactly_the_referred_forloeb(handlingsplaner, laeser_klient):
    svar = poster(laeser_klient, "M10.henvist_handlingsplan", **{"del": "taeller"})
    assert svar.status_code == 200
    assert sorted(ekstern_ider(svar)) == ["HP-PRIV", "HP-STAT"]
    assert "De forløb, der tælles med: 2. Tallet på statussiden er 2." in tekst(svar)


def test_denominator_lists_all_handlingsplaner_finished_in_the_period(
    handlingsplaner, laeser_klient
):
    svar = poster(laeser_klient, "M10.henvist_handlingsplan", **{"del": "naevner"})
    assert sorted(ekstern_ider(svar)) == ["HP-INGEN", "HP-LOKAL", "HP-PRIV", "HP-STAT"]
    html = svar.content.decode()
    assert "Alle forløb i opgørelsen (nævneren): 4. Tallet på statussiden er 4." in tekst(svar)
    assert re.search(r'del=naevner"\s+aria-current="true">Alle i opgørelsen \(4\)', html)


def test_a_count_lists_its_records_and_has_no_denominator(handlingsplaner, laeser_klient):
    svar = poster(laeser_klient, "M7.handlingsplaner")
    assert sorted(ekstern_ider(svar)) == ["HP-INGEN", "HP-LOKAL", "HP-PRIV", "HP-STAT"]
    assert poster(laeser_klient, "M7.handlingsplaner", **{"del": "naevner"}).status_code == 404


def test_distinct_companies_list_each_company_once(kontrakt_2025, laeser_klient):
    ung = f.virksomhed(stiftelsesdato=date(2024, 1, 1), navn="Ung ApS")
    for slut in (date(2025, 2, 1), date(2025, 3, 1)):
        f.forloeb(virksomhed_=ung, startdato=date(2025, 1, 5), slutdato=slut)
    f.forloeb(virksomhed_=f.virksomhed(navn="Gammel ApS"), startdato=date(2025, 1, 5),
              slutdato=date(2025, 2, 1))
    svar = poster(laeser_klient, "M1.ivaerksaettere")
    assert ekstern_ider(svar) == [ung.cvr]
    assert "Ung ApS" in svar.content.decode() and "Gammel ApS" not in svar.content.decode()


def test_by_land_per_kommune(kontrakt_2025, laeser_klient):
    for kommune in ("330", "330", "360"):
        f.forloeb(virksomhed_=f.virksomhed(kommune=kommune), startdato=date(2025, 1, 5),
                  slutdato=date(2025, 2, 1))
    lolland = Virksomhed.objects.get(kommune_id="360").cvr
    assert ekstern_ider(poster(laeser_klient, "M8.by_land")) == [lolland]
    assert len(ekstern_ider(poster(laeser_klient, "M8.by_land", **{"del": "naevner"}))) == 3
    slagelse = poster(laeser_klient, "M8.by_land", kommune="330", **{"del": "naevner"})
    assert len(ekstern_ider(slagelse)) == 2
    assert "Alle virksomheder i opgørelsen (nævneren), kun fra Slagelse: 2." in tekst(slagelse)


def test_pages_of_fifty(kontrakt_2025, laeser_klient):
    virksomhed = f.virksomhed()
    Forloeb.objects.bulk_create(
        Forloeb(erhvervshus_id=HUS(), ekstern_id=f"P-{n:03d}", virksomhed=virksomhed, type="kort",
                startdato=date(2025, 1, 2), slutdato=date(2025, 3, 1))
        for n in range(60)
    )
    foerste = poster(laeser_klient, "M7.korte")
    anden = poster(laeser_klient, "M7.korte", side=2)
    assert len(ekstern_ider(foerste)) == 50 and len(ekstern_ider(anden)) == 10
    assert set(ekstern_ider(foerste)).isdisjoint(ekstern_ider(anden))
    assert "Side 1 af 2" in foerste.content.decode()
    # The next page and the download keep the list shown: its part and kommune.
    slagelse = poster(laeser_klient, "M7.korte", kommune="330").content.decode()
    her = reverse("rapporter:poster", args=["M7.korte"])
    assert f'href="{her}?aar=2025&amp;periode=H1&amp;del=taeller&amp;kommune=330&amp;side=2"' \
        in slagelse
    assert f'href="{her}?aar=2025&amp;periode=H1&amp;del=taeller&amp;kommune=330&amp;' \
        'format=xlsx"' in slagelse


def test_excel_export_holds_the_same_records(handlingsplaner, laeser_klient):
    svar = poster(laeser_klient, "M10.henvist_handlingsplan", format="xlsx", **{"del": "taeller"})
    assert svar["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="M10.henvist_handlingsplan-taeller-H1.xlsx"' in svar["Content-Disposition"]
    ark = load_workbook(io.BytesIO(svar.content))["Forloeb"]
    raekker = [r for r in ark.iter_rows(values_only=True)]
    overskrifter = raekker[0]
    ider = sorted(r[overskrifter.index("ekstern_id")] for r in raekker[1:])
    assert ider == ["HP-PRIV", "HP-STAT"]


def test_figures_without_records_have_no_drill_down(kontrakt_2025, laeser_klient):
    assert poster(laeser_klient, "M3.nps").status_code == 404
    assert poster(laeser_klient, "M15.femern").status_code == 404
    assert poster(laeser_klient, "M99.findes_ikke").status_code == 404
    assert poster(laeser_klient, "M7.korte", **{"del": "alt"}).status_code == 404


@pytest.mark.parametrize(("aktoertype", "forventet", "overskrift"), [
    ("statslig", ["HP-STAT"], "statslig erhvervsfremme"),
    ("privat", ["HP-PRIV"], "privat rådgiver"),
    ("lokal", ["HP-LOKAL", "HP-PRIV"], "lokal erhvervsservice"),
    ("i_alt", ["HP-PRIV", "HP-STAT"], "statslig erhvervsfremme eller privat rådgiver"),
])
def test_each_row_of_the_referral_table_opens_to_its_forloeb(
    handlingsplaner, laeser_klient, aktoertype, forventet, overskrift
):
    svar = poster(laeser_klient, "M10.henvist_handlingsplan", aktoertype=aktoertype)
    assert sorted(ekstern_ider(svar)) == forventet
    assert (f"De forløb i opgørelsen med mindst én henvisning til {overskrift}: "
            f"{len(forventet)}.") in tekst(svar)
    fil = poster(laeser_klient, "M10.henvist_handlingsplan", aktoertype=aktoertype, format="xlsx")
    ark = load_workbook(io.BytesIO(fil.content))["Forloeb"]
    assert sorted(r[0] for r in ark.iter_rows(min_row=2, values_only=True) if r[0]) == forventet


def test_the_goal_page_links_the_referral_counts(handlingsplaner, laeser_klient):
    side = laeser_klient.get(reverse("rapporter:maal", args=[10]), H1).content.decode()
    assert "aktoertype=statslig" in side and "aktoertype=lokal" in side
    ukendt = poster(laeser_klient, "M10.henvist_handlingsplan", aktoertype="ukendt")
    assert ukendt.status_code == 404
    assert poster(laeser_klient, "M7.korte", aktoertype="statslig").status_code == 404


def test_igangvaerende_forloeb_are_shown_apart_and_open_to_their_list(
    handlingsplaner, laeser_klient
):
    # HP-IGANG has no slutdato: it counts nowhere, and the pages show it separately
    status = tekst(laeser_klient.get(reverse("rapporter:status"), H1))
    assert ("Igangværende forløb (uden slutdato, startet senest 30-06-2025): 1. "
            "De tæller ingen steder, før de er gennemført.") in status
    maal = reverse("rapporter:maal", args=[7]), reverse("rapporter:maal", args=[3])
    assert "Igangværende forløb" in tekst(laeser_klient.get(maal[0], H1))
    assert "Igangværende forløb" not in tekst(laeser_klient.get(maal[1], H1))
    liste = laeser_klient.get(reverse("rapporter:igangvaerende"), H1)
    assert ekstern_ider(liste) == ["HP-IGANG"]
    assert "uden slutdato: 1." in tekst(liste)
    fil = laeser_klient.get(reverse("rapporter:igangvaerende"), {**H1, "format": "xlsx"})
    ark = load_workbook(io.BytesIO(fil.content))["Forloeb"]
    assert [r[0] for r in ark.iter_rows(min_row=2, values_only=True) if r[0]] == ["HP-IGANG"]
