"""The registration front page: quick links, the user's latest registrations and the counts."""

from datetime import date

import pytest
from django.urls import reverse

from forloeb import services
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus

pytestmark = pytest.mark.django_db

URL = reverse("forloeb:oversigt")


def test_the_front_page_links_to_every_form_and_shows_the_users_latest(client, registrant,
                                                                        administrator):
    mit = factories.forloeb(bruger=registrant, slutdato=None, ekstern_id="F-MIT")
    services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                            virksomhed=mit.virksomhed, dato=date(2025, 3, 1), bruger=registrant,
                            ekstern_id="AI-MIT")
    factories.forloeb(bruger=administrator, ekstern_id="F-ANDENS")
    client.force_login(registrant)

    side = client.get(URL).content.decode()

    for link in ("Nyt forløb", "Nyt AI-tjek", "Ny aktivitet", "Ny programdeltagelse",
                 "Ny samarbejdsaftale", "Ny virksomhed", "Find virksomhed"):
        assert link in side, link
    assert reverse("forloeb:forloeb_opret") in side
    seneste = side[side.index("Dine seneste registreringer"):side.index("Registreringer i alt")]
    assert "F-MIT" in seneste and "AI-MIT" in seneste and "F-ANDENS" not in seneste
    assert seneste.index("AI-MIT") < seneste.index("F-MIT")  # newest first
    assert reverse("forloeb:forloeb_ret", args=[mit.pk]) in seneste
    assert "Du har <strong>1</strong> igangværende forløb" in side
    assert "?status=igangvaerende&amp;mine=on" in side
    assert "Indlæs arbejdsbog" not in side  # the import is for administrators


def test_the_counts_are_the_users_and_everyones(client, registrant, administrator):
    factories.forloeb(bruger=registrant)
    factories.forloeb(bruger=administrator)
    factories.forloeb(bruger=administrator)
    client.force_login(registrant)
    side = client.get(URL).content.decode()
    raekke = side[side.index('<a href="/registrering/forloeb/">Forløb</a></th>'):]
    raekke = raekke[:raekke.index("</tr>")]
    assert '?mine=on">1</a></td><td class="tal">3</td>' in raekke


def test_an_administrator_also_sees_the_import(client, administrator):
    client.force_login(administrator)
    assert "Indlæs arbejdsbog" in client.get(URL).content.decode()


def test_a_new_user_is_told_there_is_nothing_yet(client, registrant):
    client.force_login(registrant)
    side = client.get(URL).content.decode()
    assert "Du har ikke registreret noget endnu." in side
    assert "igangværende forløb" not in side


@pytest.mark.parametrize("skrevet", ["95341896", "9534 1896", "DK95341896", "DK 9534 1896"])
def test_find_virksomhed_with_an_exact_cvr_opens_the_companys_page(logget_ind, skrevet):
    factories.virksomhed(navn="Kalk ApS", cvr="95341896")
    svar = logget_ind.get(URL, {"soeg": skrevet}, follow=True)
    assert svar.redirect_chain == [(reverse("forloeb:virksomhed_side", args=["95341896"]), 302)]
    assert "<h1>Kalk ApS</h1>" in svar.content.decode()


@pytest.mark.parametrize("skrevet", ["øst", "ØST", factories.gyldigt_cvr(960)])
def test_find_virksomhed_with_a_name_or_an_unknown_cvr_lists_what_fits(logget_ind, skrevet):
    factories.virksomhed(navn="Østergaard Smedje ApS")
    side = logget_ind.get(URL).content.decode()
    assert f'action="{URL}"' in side and 'name="soeg"' in side  # the form asks this page

    svar = logget_ind.get(URL, {"soeg": skrevet}, follow=True)
    assert svar.redirect_chain[0][0].startswith(reverse("forloeb:virksomhed_liste") + "?soeg=")
    side = svar.content.decode()
    assert f'value="{skrevet}"' in side  # the list's search keeps what was typed
    antal = "<strong>1</strong> virksomhed" if skrevet.lower() == "øst" else "<strong>0</strong>"
    assert antal in side
