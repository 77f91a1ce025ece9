"""AI-tjek: registered for a company found by CVR or created on the same form."""

from datetime import date

import pytest
from django.urls import reverse

from forloeb.models import AITjek, Virksomhed
from tests import factories


def HUS():  # noqa: N802
    """Erhvervshus Sjælland's id, for records built without the services."""
    from tests.factories import erhvervshus

    return erhvervshus().pk

pytestmark = pytest.mark.django_db

OPRET = reverse("forloeb:ai_tjek_opret")



def formdata(**felter):
    return {"virksomhed-soeg": "", "dato": "2025-04-02", "naeste": "liste", **felter}


def test_an_ai_tjek_for_a_known_company_is_saved_and_listed(logget_ind, registrant):
    virksomhed = factories.virksomhed(navn="Grøn Biotek ApS")
    svar = logget_ind.post(OPRET, formdata(**{
        "virksomhed-soeg": virksomhed.cvr, "henvist_af_lokal_erhvervsservice": "on"}), follow=True)
    tjek = AITjek.objects.get()
    assert (tjek.virksomhed, tjek.dato, tjek.henvist_af_lokal_erhvervsservice) == (
        virksomhed, date(2025, 4, 2), True)
    assert tjek.oprettet_af == registrant and tjek.ekstern_id.startswith("AI-")
    side = svar.content.decode()
    ret = reverse("forloeb:ai_tjek_ret", args=[tjek.pk])
    assert (f'AI-tjekket er gemt: <a href="{ret}">AI-tjek {tjek.ekstern_id}</a> for '
            "Grøn Biotek ApS.") in side  # the message links to what was saved


def test_an_ai_tjek_can_create_its_company(logget_ind):
    cvr = factories.gyldigt_cvr(901)
    svar = logget_ind.post(OPRET, formdata(**{
        "virksomhed-soeg": cvr, "virksomhed-navn": "Ny Smedje", "virksomhed-kommune": "330",
        "virksomhed-stiftelsesdato": "2024-01-15", "naeste": "ny"}))
    assert svar.status_code == 302 and svar.url == OPRET
    assert AITjek.objects.get().virksomhed.navn == "Ny Smedje"


@pytest.mark.parametrize("felter, besked", [
    ({"virksomhed-soeg": "12345679"}, "kontrolcifferet passer ikke"),
    ({"dato": ""}, "Angiv datoen for AI-tjekket."),
    ({"dato": "2031-04-02"}, "ligger uden for kontraktårene"),
    ({"virksomhed-navn": "Ny Smedje", "virksomhed-stiftelsesdato": "2024-01-15"},
     "Vælg den nye virksomheds kommune"),
])
def test_errors_are_shown_and_the_input_kept(logget_ind, felter, besked):
    data = formdata(**{"virksomhed-soeg": factories.gyldigt_cvr(902), **felter})
    svar = logget_ind.post(OPRET, data)
    side = svar.content.decode()
    assert svar.status_code == 422 and besked in side and 'role="alert"' in side
    for vaerdi in (v for v in felter.values() if v):
        assert f'value="{vaerdi}"' in side
    assert AITjek.objects.count() == 0 and Virksomhed.objects.count() == 0


def test_edit_and_delete(logget_ind, registrant):
    tjek = factories.virksomhed()
    tjek = AITjek.objects.create(erhvervshus_id=HUS(),
                                 ekstern_id="AI-1", virksomhed=tjek, dato=date(2025, 3, 1),
                                 oprettet_af=registrant)
    url = reverse("forloeb:ai_tjek_ret", args=[tjek.pk])
    side = logget_ind.get(url).content.decode()
    assert "<h1>Ret AI-tjek</h1>" in side and f'value="{tjek.virksomhed.cvr}"' in side

    svar = logget_ind.post(url, formdata(**{"virksomhed-soeg": tjek.virksomhed.cvr,
                                            "dato": "2025-03-02", "aarsag": "Forkert dato"}))
    assert svar.status_code == 302
    tjek.refresh_from_db()
    assert tjek.dato == date(2025, 3, 2)
    assert tjek.history.first().history_change_reason == "Forkert dato"

    slet = reverse("forloeb:ai_tjek_slet", args=[tjek.pk])
    assert "Slet AI-tjek?" in logget_ind.get(slet).content.decode()
    logget_ind.post(slet, {"aarsag": "Registreret to gange"})
    assert not AITjek.objects.exists()
    assert AITjek.history.get(history_type="-").history_user == registrant


def test_the_escrm_id_is_kept_so_a_later_import_recognises_the_ai_tjek(logget_ind):
    virksomhed = factories.virksomhed()
    side = logget_ind.get(OPRET).content.decode()
    assert '<label for="id_ekstern_id">ESCRM-id <span class="valgfri">(valgfri)</span>' in side

    logget_ind.post(OPRET, formdata(**{"virksomhed-soeg": virksomhed.cvr,
                                       "ekstern_id": " ESCRM-AI-7 "}))
    tjek = AITjek.objects.get()
    assert tjek.ekstern_id == "ESCRM-AI-7"

    url = reverse("forloeb:ai_tjek_ret", args=[tjek.pk])
    assert 'value="ESCRM-AI-7"' in logget_ind.get(url).content.decode()
    svar = logget_ind.post(url, formdata(**{"virksomhed-soeg": virksomhed.cvr, "ekstern_id": ""}))
    assert svar.status_code == 302
    tjek.refresh_from_db()
    assert tjek.ekstern_id == "ESCRM-AI-7"  # an emptied field keeps the id it had


def test_an_escrm_id_already_in_use_is_refused_next_to_the_field(logget_ind):
    virksomhed = factories.virksomhed()
    AITjek.objects.create(erhvervshus_id=HUS(),
                          ekstern_id="ESCRM-1", virksomhed=virksomhed, dato=date(2025, 3, 1))
    svar = logget_ind.post(OPRET, formdata(**{"virksomhed-soeg": virksomhed.cvr,
                                              "ekstern_id": "ESCRM-1"}))
    side = svar.content.decode()
    assert svar.status_code == 422
    assert side.count("Et AI-tjek med dette ESCRM-id er allerede registreret.") == 2
    assert 'id="id_ekstern_id_error"' in side and 'href="#id_ekstern_id"' in side
    assert AITjek.objects.count() == 1
