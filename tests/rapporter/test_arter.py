"""The indicator kinds as modules (``rapporter/arter/``): one registered class per ``art``, and a
new kind is its module: the status page, the goal page, the drill-down and the JSON report show it
without a line elsewhere, at no extra query when it counts a model already counted."""

import json
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forloeb import services
from forloeb.models import Aktivitet
from maal.models import Indikator, Maal
from maal.parametre import SKEMAER
from rapporter import beregning, selectors
from rapporter.arter import ARTER, Art, Optaelling, art, registrer
from tests.factories import erhvervshus as sjaelland_hus

IDAG = date(2025, 7, 15)
H1 = {"aar": 2025, "periode": "H1"}


def test_every_kind_of_the_model_has_its_module_and_schema():
    assert set(ARTER) == set(Indikator.Art.values) == set(SKEMAER)
    assert all(art(navn).navn == navn for navn in ARTER)
    with pytest.raises(ValueError, match="Ukendt indikatorart 'ukendt'"):
        art("ukendt")


@pytest.fixture
def ottende_art():
    """A kind of its own, written as a new module would be: every aktivitet in the period."""

    @registrer
    class Aktiviteter(Art):
        navn = "proeve"
        dele = ("taeller",)
        visning = "antal"

        def optaellinger(self, d):
            return [Optaelling(f"{d.noegle}|t", Aktivitet, "dato", Count("pk"))]

        def resultat(self, d, g, periode, idag):
            return beregning.resultat_antal(d, g.tal[f"{d.noegle}|t"], periode, idag)

        def poster(self, indikator, periode, del_, *, idag):
            return Aktivitet.objects.filter(selectors.i_perioden("dato", periode))

    yield
    del ARTER["proeve"]


def _forespoergsler(klient, url) -> int:
    with CaptureQueriesContext(connection) as svar:
        assert klient.get(url, H1).status_code == 200
    return len(svar)


@time_machine.travel(IDAG, tick=False)
def test_an_eighth_kind_is_its_module(kontrakt_2025, laeser_klient, ottende_art):
    for dag in (date(2025, 3, 1), date(2025, 6, 30), date(2025, 7, 1)):  # the last after H1
        services.aktivitet_create(erhvervshus=sjaelland_hus(),
                                  type="klyngearrangement", dato=dag, titel=f"Møde {dag}")
    foer = _forespoergsler(laeser_klient, reverse("rapporter:status"))
    # Created directly: Indikator.Art (and so the admin) would need the new choice too.
    Indikator.objects.create(
        maal=Maal.objects.get(kontrakt=kontrakt_2025, nummer=13), noegle="M13.alle_aktiviteter",
        titel="Alle aktiviteter", art="proeve", enhed="antal", maalvaerdi=4, raekkefoelge=99,
    )
    # Aktiviteter are counted already (M13.klyngearrangementer): the same query counts it.
    assert _forespoergsler(laeser_klient, reverse("rapporter:status")) == foer

    side = laeser_klient.get(reverse("rapporter:maal", args=[13]), H1).content.decode()
    url = reverse("rapporter:poster", args=["M13.alle_aktiviteter"])
    assert f'<a href="{url}?aar=2025&amp;periode=H1&amp;del=taeller"' in side
    assert "Alle aktiviteter" in side
    poster = laeser_klient.get(url, {**H1, "del": "taeller"})
    assert poster.status_code == 200 and "Møde 2025-07-01" not in poster.content.decode()
    assert laeser_klient.get(url, {**H1, "del": "naevner"}).status_code == 404
    data = json.loads(laeser_klient.get(reverse("rapporter:json"), H1).content)
    post = next(p for p in data["indikatorer"] if p["noegle"] == "M13.alle_aktiviteter")
    # 2 of a target of 4; pro rata 4 × 181 / 365 = 1.98: on track
    assert (post["art"], post["faktisk"], post["forventet"], post["status"]) == (
        "proeve", 2, 2.0, "paa_sporet")
