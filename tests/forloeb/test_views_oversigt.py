"""The registration front page: quick links, the user's latest registrations and the counts."""

from datetime import date

import pytest
from django.urls import reverse

from forloeb import services
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("forloeb:oversigt")


def test_the_front_page_links_to_every_form_and_shows_the_users_latest(client, registrant,
                                                                        administrator):
    mit = factories.forloeb(bruger=registrant, slutdato=None, ekstern_id="F-MIT")
    services.ai_tjek_create(virksomhed=mit.virksomhed, dato=date(2025, 3, 1), bruger=registrant,
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
