"""Programdeltagelser: a company in Attraktive Arbejdspladser or SMV Vækstpilot."""

import re
from datetime import date

import pytest
from django.urls import reverse

from forloeb import services
from forloeb.models import Programdeltagelse
from tests import factories

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
    assert "Programdeltagelsen er gemt" in side and "SMV Vækstpilot" in side


def test_the_same_company_program_and_date_twice_is_an_error_on_the_page(logget_ind):
    virksomhed = factories.virksomhed()
    services.programdeltagelse_create(virksomhed=virksomhed, program="smv_vaekstpilot",
                                      status="ansoegt", dato=date(2025, 6, 1))
    svar = logget_ind.post(OPRET, {
        "virksomhed-soeg": virksomhed.cvr, "program": "smv_vaekstpilot", "status": "bevilget",
        "dato": "2025-06-01"})
    side = svar.content.decode()
    assert svar.status_code == 422
    assert "Virksomheden er allerede registreret i programmet den dato." in side
    assert re.search(r'name="status" value="bevilget"[^>]* checked', side)
    assert Programdeltagelse.objects.count() == 1


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
