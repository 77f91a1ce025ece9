"""Samarbejdsaftaler: with national clusters (aktør type klynge) only."""

from datetime import date

import pytest
from django.urls import reverse

from forloeb.models import Aktoer, Samarbejdsaftale

pytestmark = pytest.mark.django_db

OPRET = reverse("forloeb:samarbejdsaftale_opret")



def test_only_clusters_are_offered(logget_ind):
    side = logget_ind.get(OPRET).content.decode()
    assert ">CLEAN</option>" in side
    assert "Innovationsfonden" not in side


def test_an_aftale_is_saved(logget_ind, registrant):
    clean = Aktoer.objects.get(navn="CLEAN")
    svar = logget_ind.post(OPRET, {"aktoer": clean.pk, "dato": "2025-02-10",
                                   "beskrivelse": "Fælles klyngeindsats"}, follow=True)
    aftale = Samarbejdsaftale.objects.get()
    assert (aftale.aktoer, aftale.dato, aftale.oprettet_af) == (clean, date(2025, 2, 10),
                                                                registrant)
    assert "Samarbejdsaftalen er gemt" in svar.content.decode()


def test_a_non_cluster_and_a_second_aftale_the_same_day_are_refused(logget_ind):
    ruc = Aktoer.objects.get(navn="Roskilde Universitet (RUC)")
    svar = logget_ind.post(OPRET, {"aktoer": ruc.pk, "dato": "2025-02-10"})
    assert svar.status_code == 422 and "Vælg en erhvervsklynge fra listen." in svar.content.decode()

    clean = Aktoer.objects.get(navn="CLEAN")
    logget_ind.post(OPRET, {"aktoer": clean.pk, "dato": "2025-02-10"})
    svar = logget_ind.post(OPRET, {"aktoer": clean.pk, "dato": "2025-02-10",
                                   "beskrivelse": "Igen"})
    side = svar.content.decode()
    assert svar.status_code == 422
    assert "Der er allerede en aftale med klyngen den dato." in side and "Igen</textarea>" in side
    assert Samarbejdsaftale.objects.count() == 1
