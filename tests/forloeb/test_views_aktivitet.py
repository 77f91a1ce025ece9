"""Aktiviteter: type, date, title, partners (aktører by type) and kommuner (by region)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from forloeb.models import Aktivitet, Aktoer

pytestmark = pytest.mark.django_db

OPRET = reverse("forloeb:aktivitet_opret")



def formdata(**felter):
    koege = Aktoer.objects.get(navn="Lokal erhvervsservice Køge")
    return {"type": "faelles_aktivitet", "titel": "Morgenmøde om eksport", "dato": "2025-05-06",
            "partnere": [koege.pk], "kommuner": ["259", "265"], "fyrtaarn": "", **felter}


def test_the_form_groups_partners_by_type_and_kommuner_by_region(logget_ind):
    side = logget_ind.get(OPRET).content.decode()
    assert "<summary>Lokal erhvervsservice</summary>" in side
    assert "<summary>Erhvervsklynge</summary>" in side
    assert side.index("<summary>Region Sjælland</summary>") < side.index(
        "<summary>Region Hovedstaden</summary>")


def test_an_aktivitet_is_saved_with_partners_and_kommuner(logget_ind, registrant):
    svar = logget_ind.post(OPRET, formdata(), follow=True)
    aktivitet = Aktivitet.objects.get()
    assert (aktivitet.type, aktivitet.titel, aktivitet.dato) == (
        "faelles_aktivitet", "Morgenmøde om eksport", date(2025, 5, 6))
    assert [a.navn for a in aktivitet.partnere.all()] == ["Lokal erhvervsservice Køge"]
    assert sorted(aktivitet.kommuner.values_list("kode", flat=True)) == ["259", "265"]
    assert aktivitet.oprettet_af == registrant
    side = svar.content.decode()
    ret = reverse("forloeb:aktivitet_ret", args=[aktivitet.pk])
    assert f'Aktiviteten er gemt: <a href="{ret}">Morgenmøde om eksport</a>.' in side
    assert "Lokal erhvervsservice Køge" in side
    assert aktivitet.ekstern_id.startswith("A-")  # no ESCRM-id given: the app gives one


@pytest.mark.parametrize("felter, besked", [
    ({"titel": ""}, "Giv aktiviteten en titel."),
    ({"type": ""}, "Vælg aktivitetens type."),
    ({"dato": "2099-05-06"}, "ligger uden for kontraktårene"),
])
def test_errors_are_shown_and_the_input_kept(logget_ind, felter, besked):
    svar = logget_ind.post(OPRET, formdata(**felter))
    side = svar.content.decode()
    assert svar.status_code == 422 and besked in side
    assert re.search(r'name="kommuner" value="259"[^>]* checked', side)  # kept ticked
    assert Aktivitet.objects.count() == 0


def test_editing_changes_the_partners(logget_ind):
    logget_ind.post(OPRET, formdata())
    aktivitet = Aktivitet.objects.get()
    ruc = Aktoer.objects.get(navn="Roskilde Universitet (RUC)")
    url = reverse("forloeb:aktivitet_ret", args=[aktivitet.pk])
    assert logget_ind.post(url, formdata(partnere=[ruc.pk], kommuner=[])).status_code == 302
    assert list(aktivitet.partnere.all()) == [ruc]
    assert not aktivitet.kommuner.exists()
    side = logget_ind.get(url).content.decode()
    assert '<details class="valggruppe" open>\n        <summary>Anden aktør</summary>' in side
    assert '<details class="valggruppe">\n        <summary>Erhvervsklynge</summary>' in side


def test_the_escrm_id_is_saved_and_a_duplicate_refused_next_to_the_field(logget_ind):
    logget_ind.post(OPRET, formdata(ekstern_id="ESCRM-A-1"))
    assert Aktivitet.objects.get().ekstern_id == "ESCRM-A-1"

    svar = logget_ind.post(OPRET, formdata(ekstern_id="ESCRM-A-1", titel="Andet møde"))
    side = svar.content.decode()
    assert svar.status_code == 422
    assert side.count("En aktivitet med dette ESCRM-id er allerede registreret.") == 2
    assert 'id="id_ekstern_id_error"' in side and 'value="Andet møde"' in side
    assert Aktivitet.objects.count() == 1
