"""Programdeltagelser: a company in Attraktive Arbejdspladser or SMV Vækstpilot."""

import re
from datetime import date

import pytest
from django.urls import reverse

from forloeb import services
from forloeb.models import Programdeltagelse
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus

pytestmark = pytest.mark.django_db

OPRET = reverse("forloeb:programdeltagelse_opret")



def test_a_programdeltagelse_is_saved(logget_ind, registrant):
    virksomhed = factories.virksomhed(navn="Skov Tømrer ApS")
    svar = logget_ind.post(OPRET, {
        "virksomhed-soeg": virksomhed.cvr, "program": "smv_vaekstpilot", "status": "bevilget",
        "dato": "2025-06-01"}, follow=True)
    deltagelse = Programdeltagelse.objects.get()
    assert (deltagelse.virksomhed, deltagelse.program, deltagelse.status, deltagelse.dato) == (
        virksomhed, "smv_vaekstpilot", "bevilget", date(2025, 6, 1))
    assert deltagelse.oprettet_af == registrant
    side = svar.content.decode()
    ret = reverse("forloeb:programdeltagelse_ret", args=[deltagelse.pk])
    assert (f'Programdeltagelsen er gemt: <a href="{ret}">SMV Vækstpilot: Skov Tømrer ApS '
            f"({virksomhed.cvr})</a>.") in side  # the company is named once


def test_the_same_company_program_and_date_twice_is_an_error_next_to_the_date(logget_ind):
    virksomhed = factories.virksomhed()
    eksisterende = services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
        virksomhed=virksomhed, program="smv_vaekstpilot", status="ansoegt", dato=date(2025, 6, 1))
    svar = logget_ind.post(OPRET, {
        "virksomhed-soeg": virksomhed.cvr, "program": "smv_vaekstpilot", "status": "bevilget",
        "dato": "2025-06-01"})
    side = svar.content.decode()
    assert svar.status_code == 422
    ret = reverse("forloeb:programdeltagelse_ret", args=[eksisterende.pk])
    assert ('<ul class="errorlist" id="id_dato_error"><li>Virksomheden er allerede registreret i '
            f'programmet den dato. <a href="{ret}">Åbn den registrerede programdeltagelse</a>.'
            "</li></ul>") in side
    # The summary links to the field and names the record as text (no link in a link).
    assert ('<a href="#id_dato">Dato: Virksomheden er allerede registreret i programmet den '
            "dato. Åbn den registrerede programdeltagelse.</a>") in side
    assert re.search(r'name="status" value="bevilget"[^>]* checked', side)
    assert Programdeltagelse.objects.count() == 1


def test_another_program_the_same_day_or_the_record_itself_is_no_duplicate(logget_ind,
                                                                         registrant):
    virksomhed = factories.virksomhed()
    deltagelse = services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
        virksomhed=virksomhed, program="smv_vaekstpilot", status="ansoegt", dato=date(2025, 6, 1),
        bruger=registrant)
    data = {"virksomhed-soeg": virksomhed.cvr, "program": "attraktive_arbejdspladser",
            "status": "ansoegt", "dato": "2025-06-01"}
    assert logget_ind.post(OPRET, data).status_code == 302
    ret = reverse("forloeb:programdeltagelse_ret", args=[deltagelse.pk])
    assert logget_ind.post(ret, {**data, "program": "smv_vaekstpilot",
                                 "status": "bevilget"}).status_code == 302


@pytest.mark.parametrize("felter, besked", [
    ({"program": ""}, "Vælg programmet."),
    ({"status": ""}, "Vælg status."),
    ({"dato": ""}, "Angiv datoen."),
])
def test_missing_fields_are_named(logget_ind, felter, besked):
    data = {"virksomhed-soeg": factories.virksomhed().cvr, "program": "smv_vaekstpilot",
            "status": "bevilget", "dato": "2025-06-01", **felter}
    svar = logget_ind.post(OPRET, data)
    assert svar.status_code == 422 and besked in svar.content.decode()
