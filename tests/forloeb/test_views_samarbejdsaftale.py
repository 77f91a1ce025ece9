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
    assert svar.status_code == 422 and Samarbejdsaftale.KUN_KLYNGE in svar.content.decode()

    clean = Aktoer.objects.get(navn="CLEAN")
    logget_ind.post(OPRET, {"aktoer": clean.pk, "dato": "2025-02-10"})
    eksisterende = Samarbejdsaftale.objects.get()
    svar = logget_ind.post(OPRET, {"aktoer": clean.pk, "dato": "2025-02-10",
                                   "beskrivelse": "Igen"})
    side = svar.content.decode()
    assert svar.status_code == 422
    ret = reverse("forloeb:samarbejdsaftale_ret", args=[eksisterende.pk])
    assert ('<ul class="errorlist" id="id_dato_error"><li>Der er allerede en aftale med klyngen '
            f'den dato. <a href="{ret}">Åbn den registrerede aftale</a>.</li></ul>') in side
    assert 'href="#id_dato">Dato: Der er allerede en aftale med klyngen den dato.' in side
    assert "Igen</textarea>" in side
    assert Samarbejdsaftale.objects.count() == 1

    # Saving the aftale itself again is no duplicate.
    assert logget_ind.post(ret, {"aktoer": clean.pk, "dato": "2025-02-10"}).status_code == 302


def test_the_saved_message_links_to_the_aftale(logget_ind):
    clean = Aktoer.objects.get(navn="CLEAN")
    svar = logget_ind.post(OPRET, {"aktoer": clean.pk, "dato": "2025-02-10"}, follow=True)
    ret = reverse("forloeb:samarbejdsaftale_ret", args=[Samarbejdsaftale.objects.get().pk])
    assert (f'Samarbejdsaftalen er gemt: <a href="{ret}">Samarbejdsaftale med CLEAN</a>.'
            in svar.content.decode())
