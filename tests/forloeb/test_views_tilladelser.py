"""Who may do what under /registrering/: Registrant and Administrator register; KKR-læsere and
users without a role get 403; anonymous users are sent to the login page."""

from datetime import date

import pytest
from django.urls import reverse

from forloeb import services
from forloeb.models import Aktoer, Forloeb
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus

pytestmark = pytest.mark.django_db

ARTER = ("forloeb", "virksomhed", "henvisning", "ai_tjek", "aktivitet", "programdeltagelse",
         "samarbejdsaftale")


@pytest.fixture
def urls(registrant):
    """Every registration page, with a record of each kind to open (the registrant's own: the
    pages of another's records are ownership's, tests/forloeb/test_ejerskab.py)."""
    hvem = {"bruger": registrant}
    f = factories.forloeb(henvist_til=["Innovationsfonden"], **hvem)
    v = f.virksomhed
    poster = {
        "forloeb": f,
        "virksomhed": v,
        "ai_tjek": services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                                           virksomhed=v, dato=date(2025, 3, 1), **hvem),
        "aktivitet": services.aktivitet_create(erhvervshus=sjaelland_hus(),
                                               type="event", dato=date(2025, 3, 1), titel="Møde",
                                               **hvem),
        "programdeltagelse": services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
            virksomhed=v, program="smv_vaekstpilot", status="ansoegt", dato=date(2025, 3, 1),
            **hvem),
        "samarbejdsaftale": services.samarbejdsaftale_create(erhvervshus=sjaelland_hus(),
            aktoer=Aktoer.objects.get(navn="CLEAN"), dato=date(2025, 3, 1), **hvem),
    }
    sider = [reverse("forloeb:oversigt"), reverse("forloeb:virksomhed_soeg") + "?q=te",
             reverse("forloeb:virksomhed_side", args=[v.cvr])]
    for art in ARTER:
        sider += [reverse(f"forloeb:{art}_liste"), reverse(f"forloeb:{art}_eksport")]
        if art in poster:
            noegle = poster[art].cvr if art == "virksomhed" else poster[art].pk
            sider += [reverse(f"forloeb:{art}_opret"),
                      reverse(f"forloeb:{art}_ret", args=[noegle]),
                      reverse(f"forloeb:{art}_slet", args=[noegle])]
    return sider


@pytest.mark.parametrize("rolle", ["registrant", "administrator"])
def test_registrants_and_administrators_open_every_page(client, request, urls, rolle):
    client.force_login(request.getfixturevalue(rolle))
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("rolle", ["kkr_laeser", "udenforstaaende"])
def test_kkr_readers_and_users_without_a_role_get_403(client, request, urls, rolle):
    client.force_login(request.getfixturevalue(rolle))
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_anonymous_users_are_sent_to_login(client, urls):
    for url in urls:
        svar = client.get(url)
        assert svar.status_code == 302 and svar.url.startswith("/login/?next="), url


def test_a_kkr_reader_cannot_post_a_forloeb_or_delete_one(client, kkr_laeser, urls):
    client.force_login(kkr_laeser)
    forloeb = Forloeb.objects.get()
    assert client.post(reverse("forloeb:forloeb_opret"), {"type": "kort"}).status_code == 403
    assert client.post(reverse("forloeb:forloeb_slet", args=[forloeb.pk])).status_code == 403
    assert Forloeb.objects.count() == 1


def test_the_main_menu_shows_registrering_only_to_those_who_may(client, registrant, kkr_laeser):
    client.force_login(registrant)
    assert 'href="/registrering/"' in client.get(reverse("forloeb:oversigt")).content.decode()
    client.force_login(kkr_laeser)
    assert 'href="/registrering/"' not in client.get("/").content.decode()
