"""Companies: the page a rådgiver opens before a meeting (facts, whole history with the house,
who changed what), the search behind the company field, and create, edit and delete."""

from datetime import date

import pytest
from django.urls import reverse

from forloeb import services
from forloeb.models import AITjek, Virksomhed
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus

pytestmark = pytest.mark.django_db



def side_for(client, virksomhed):
    svar = client.get(reverse("forloeb:virksomhed_side", args=[virksomhed.cvr]))
    assert svar.status_code == 200
    return svar.content.decode()


def test_the_company_page_shows_facts_and_the_whole_history_with_the_house(
    logget_ind, registrant
):
    virksomhed = factories.virksomhed(navn="Fjord Food ApS", kommune="259",
                                      stiftelsesdato=date(2019, 8, 1))
    forloeb = factories.forloeb(virksomhed_=virksomhed, type="handlingsplan",
                                startdato=date(2025, 1, 10), henvist_til=["Innovationsfonden"])
    services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                            virksomhed=virksomhed, dato=date(2025, 2, 3), ekstern_id="AI-77")
    services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
                                      virksomhed=virksomhed, program="attraktive_arbejdspladser",
                                      status="bevilget", dato=date(2025, 3, 4))
    side = side_for(logget_ind, virksomhed)
    for tekst in ("<h1>Fjord Food ApS</h1>", virksomhed.cvr, "Køge", "Region Sjælland",
                  "01-08-2019", forloeb.ekstern_id, "Handlingsplan (driftssegment)", "10-01-2025",
                  "Igangværende", "Innovationsfonden", "AI-77", "03-02-2025",
                  "Attraktive Arbejdspladser", "Bevilget"):
        assert tekst in side, tekst
    assert f"?cvr={virksomhed.cvr}" in side  # "Nyt forløb" for this company


def test_the_company_page_shows_who_changed_what_and_deletions(logget_ind, registrant):
    forloeb = factories.forloeb(startdato=date(2025, 1, 10), bruger=registrant)
    services.opdater(forloeb, slutdato=date(2025, 4, 30), bruger=registrant,
                     aarsag="Afsluttet efter møde")
    andet = factories.forloeb(virksomhed_=forloeb.virksomhed, ekstern_id="F-SLETTES",
                              bruger=registrant)
    services.slet(andet, bruger=registrant, aarsag="Dublet")

    side = side_for(logget_ind, forloeb.virksomhed)
    historik = side[side.index('id="historik-titel"'):]
    assert "Ændret</strong> Forløb " + forloeb.ekstern_id in historik
    assert "Slutdato: <del>–</del> → <ins>30-04-2025</ins>" in historik
    assert "Afsluttet efter møde" in historik and "Registrant" in historik
    assert "Slettet</strong> Forløb F-SLETTES" in historik and "Dublet" in historik
    assert "Oprettet</strong> Virksomhed" in historik


def test_the_company_search_answers_json_by_cvr_and_by_name(logget_ind):
    virksomhed = factories.virksomhed(navn="Stevns Kalk ApS", kommune="336")
    url = reverse("forloeb:virksomhed_soeg")
    efter_cvr = logget_ind.get(url, {"q": virksomhed.cvr[:4]}).json()["resultater"]
    assert efter_cvr == [{"cvr": virksomhed.cvr, "navn": "Stevns Kalk ApS",
                          "kommune": "Stevns", "stiftelsesdato": "01-01-2000"}]
    assert logget_ind.get(url, {"q": "kalk"}).json()["resultater"][0]["cvr"] == virksomhed.cvr
    assert logget_ind.get(url, {"q": "k"}).json() == {"resultater": []}
    assert logget_ind.get(url, {"q": "findes ikke"}).json() == {"resultater": []}


def test_an_unknown_cvr_is_404(logget_ind):
    svar = logget_ind.get(reverse("forloeb:virksomhed_side", args=["12345678"]))
    assert svar.status_code == 404


def test_a_company_is_created_edited_and_a_duplicate_cvr_refused(logget_ind, registrant):
    cvr = factories.gyldigt_cvr(903)
    opret = reverse("forloeb:virksomhed_opret")
    data = {"cvr": f"DK {cvr[:4]} {cvr[4:]}", "navn": "Havn ApS", "kommune": "360",
            "stiftelsesdato": "2024-02-29"}
    assert logget_ind.post(opret, data).status_code == 302
    virksomhed = Virksomhed.objects.get(cvr=cvr)
    assert (virksomhed.kommune_id, virksomhed.oprettet_af) == ("360", registrant)

    svar = logget_ind.post(opret, {**data, "navn": "Havn 2"})
    assert svar.status_code == 422
    assert "Der er allerede en virksomhed med det CVR-nummer." in svar.content.decode()

    ret = reverse("forloeb:virksomhed_ret", args=[cvr])
    svar = logget_ind.post(ret, {**data, "navn": "Havnen ApS", "aarsag": "Navneskift"})
    assert svar.status_code == 302
    virksomhed.refresh_from_db()
    assert virksomhed.navn == "Havnen ApS"
    assert virksomhed.history.first().history_change_reason == "Navneskift"


@pytest.mark.parametrize("felter, besked", [
    ({"cvr": "12345679"}, "kontrolcifferet passer ikke"),
    ({"kommune": ""}, "Vælg virksomhedens kommune (hovedsæde)."),
    ({"stiftelsesdato": ""}, "Angiv stiftelsesdatoen."),
    ({"stiftelsesdato": "2099-01-01"}, "Stiftelsesdatoen kan ikke ligge i fremtiden."),
])
def test_company_errors_are_shown_with_the_input_kept(logget_ind, felter, besked):
    data = {"cvr": factories.gyldigt_cvr(904), "navn": "Havn ApS", "kommune": "360",
            "stiftelsesdato": "2024-02-29", **felter}
    svar = logget_ind.post(reverse("forloeb:virksomhed_opret"), data)
    side = svar.content.decode()
    assert svar.status_code == 422 and besked in side and 'value="Havn ApS"' in side
    assert not Virksomhed.objects.exists()


def test_a_company_with_registrations_cannot_be_deleted_but_one_without_can(logget_ind):
    tjek = services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                                   virksomhed=factories.virksomhed(), dato=date(2025, 2, 3))
    url = reverse("forloeb:virksomhed_slet", args=[tjek.virksomhed.cvr])
    svar = logget_ind.post(url, {"aarsag": "Oprettet ved en fejl"})
    assert "Virksomheden har registreringer og kan ikke slettes" in svar.content.decode()
    assert Virksomhed.objects.count() == 1

    AITjek.objects.all().delete()
    svar = logget_ind.post(url, {"aarsag": "Oprettet ved en fejl"}, follow=True)
    assert "Virksomheden er slettet" in svar.content.decode()
    assert not Virksomhed.objects.exists()


@pytest.mark.parametrize("q", ["øst", "ØST", "Øst", "østergaard"])
def test_the_suggestions_ignore_the_case_of_aeoeaa(logget_ind, q):
    factories.virksomhed(navn="Østergaard Smedje ApS")
    factories.virksomhed(navn="Vestergaard ApS")
    svar = logget_ind.get(reverse("forloeb:virksomhed_soeg"), {"q": q}).json()
    assert [v["navn"] for v in svar["resultater"]] == ["Østergaard Smedje ApS"]


@pytest.mark.parametrize("q", ["GRØN", "grøn", "ÆRØ", "ærø", "ÅEN", "åen"])
def test_the_suggestions_find_every_danish_letter_in_either_case(logget_ind, q):
    for navn in ("Grøn Energi ApS", "Ærø Bryghus ApS", "Åen Kajak ApS"):
        factories.virksomhed(navn=navn)
    navne = [v["navn"] for v in logget_ind.get(reverse("forloeb:virksomhed_soeg"),
                                                {"q": q}).json()["resultater"]]
    assert len(navne) == 1 and navne[0].casefold().startswith(q.casefold())


@pytest.mark.parametrize("q", ["95341896", "9534 1896", "DK95341896", "DK 9534 1896",
                               "dk-95-34-18-96"])
def test_the_suggestions_find_a_cvr_written_with_spaces_or_dk(logget_ind, q):
    factories.virksomhed(navn="Kalk ApS", cvr="95341896")
    factories.virksomhed(navn="Anden ApS")
    svar = logget_ind.get(reverse("forloeb:virksomhed_soeg"), {"q": q}).json()
    assert [v["cvr"] for v in svar["resultater"]] == ["95341896"]


def test_a_record_moved_to_another_company_shows_what_changed_on_both_pages(
    logget_ind, registrant
):
    a = factories.virksomhed(navn="Gammel Smedje ApS")
    b = factories.virksomhed(navn="Ny Smedje ApS")
    tjek = services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                                   virksomhed=a, dato=date(2025, 3, 1), ekstern_id="AI-9",
                                   bruger=registrant)
    svar = logget_ind.post(reverse("forloeb:ai_tjek_ret", args=[tjek.pk]), {
        "virksomhed-soeg": b.cvr, "dato": "2025-03-01", "ekstern_id": "AI-9",
        "aarsag": "Forkert virksomhed"})
    assert svar.status_code == 302

    side_b = side_for(logget_ind, b)
    historik_b = side_b[side_b.index('id="historik-titel"'):]
    assert "Ændret</strong> AI-tjek AI-9" in historik_b
    assert (f"Virksomhed: <del>Gammel Smedje ApS ({a.cvr})</del> → "
            f"<ins>Ny Smedje ApS ({b.cvr})</ins>") in historik_b

    side_a = side_for(logget_ind, a)
    historik_a = side_a[side_a.index('id="historik-titel"'):]
    side_b_url = reverse("forloeb:virksomhed_side", args=[b.cvr])
    assert (f'Flyttet</strong> AI-tjek AI-9 til <a href="{side_b_url}">Ny Smedje ApS</a>'
            " · Registrant · <em>Forkert virksomhed</em>") in historik_a
    assert "Oprettet</strong> AI-tjek AI-9" in historik_a


def test_a_long_history_says_how_much_is_shown(logget_ind):
    forloeb = factories.forloeb()
    for nr in range(55):
        services.opdater(forloeb, raadgiver=f"Rådgiver {nr}")
    side = side_for(logget_ind, forloeb.virksomhed)
    assert "Viser de seneste 50 af 57 ændringer." in side  # the company, the forløb, 55 changes
    assert side.count("<li>Rådgiver: <del>") == 50

    kort = factories.forloeb()
    assert "Viser de seneste" not in side_for(logget_ind, kort.virksomhed)
