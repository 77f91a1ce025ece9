"""The company list's »Forløb« column counts the forløb of the user's own houses: a company is
shared by the houses, its forløb are not (``forloeb.adgang.husets``)."""

import re
from datetime import date
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

LISTE = reverse("forloeb:virksomhed_liste")


def raekker(svar) -> dict[str, list[str]]:
    """Each row of the list's table by the company's name: its cells' visible text."""
    ud = {}
    for tr in re.findall(r"<tr.*?</tr>", svar.content.decode(), re.S):
        celler = [" ".join(unescape(re.sub(r"<[^>]+>", " ", td)).split())
                  for td in re.findall(r"<td.*?</td>", tr, re.S)]
        if celler:
            ud[celler[0]] = celler
    return ud


def antal_forloeb(svar) -> dict[str, str]:
    return {navn: celler[-1] for navn, celler in raekker(svar).items()}


@pytest.fixture
def to_huse(kontrakt_2025, hovedstaden):
    """Fælles ApS with a forløb in each house and Hovedstaden ApS with two in Hovedstaden."""
    faelles = factories.virksomhed(navn="Fælles ApS")
    egen = factories.virksomhed(navn="Hovedstaden ApS")
    with time_machine.travel(date(2025, 7, 1)):
        factories.forloeb(virksomhed_=faelles, slutdato=date(2025, 3, 1))
        factories.forloeb(virksomhed_=faelles, slutdato=date(2025, 3, 1), erhvervshus_=hovedstaden)
        factories.forloeb(virksomhed_=egen, erhvervshus_=hovedstaden)
        factories.forloeb(virksomhed_=egen, erhvervshus_=hovedstaden, slutdato=date(2025, 4, 1))


def test_a_sjaelland_user_counts_sjaellands_forloeb_only(client, registrant, to_huse):
    client.force_login(registrant)
    assert antal_forloeb(client.get(LISTE)) == {"Fælles ApS": "1", "Hovedstaden ApS": "0"}


def test_a_hovedstaden_user_counts_hovedstadens(client, registrant_hovedstaden, to_huse):
    client.force_login(registrant_hovedstaden)
    assert antal_forloeb(client.get(LISTE)) == {"Fælles ApS": "1", "Hovedstaden ApS": "2"}


def test_a_superuser_counts_every_house(client, superbruger, to_huse):
    client.force_login(superbruger)
    assert antal_forloeb(client.get(LISTE)) == {"Fælles ApS": "2", "Hovedstaden ApS": "2"}


def test_the_count_holds_when_filtered_and_sorted_by_it(client, registrant_hovedstaden,
                                                        to_huse):
    client.force_login(registrant_hovedstaden)
    svar = client.get(LISTE, {"sortering": "-antal_forloeb"})
    assert list(antal_forloeb(svar).items()) == [("Hovedstaden ApS", "2"), ("Fælles ApS", "1")]
    soeg = client.get(LISTE, {"soeg": "Fælles"})
    assert antal_forloeb(soeg) == {"Fælles ApS": "1"}
