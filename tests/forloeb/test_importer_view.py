"""The upload page: who may use it, dry run first, import only on confirmation, and the template."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from forloeb.models import Forloeb
from tests import factories
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, VIRKSOMHED_OVERSKRIFT, antal, bog

UPLOAD = "/registrering/import/"


def arbejdsbog(*forloeb_raekker) -> SimpleUploadedFile:
    indhold = bog(
        Virksomheder=[VIRKSOMHED_OVERSKRIFT, ["10000017", "Nordisk Bageri ApS", "330",
                                              date(2010, 1, 1)]],
        Forloeb=[FORLOEB_OVERSKRIFT, *forloeb_raekker],
    )
    return SimpleUploadedFile("crm-januar.xlsx", indhold)


GOD = ["ESCRM-1", "10000017", "kort", date(2025, 1, 5), date(2025, 1, 20), "", "", ""]


def test_the_page_lives_at_registrering_import():
    assert reverse("importer:upload") == UPLOAD
    assert reverse("importer:bekraeft") == UPLOAD + "bekraeft/"
    assert reverse("importer:skabelon") == UPLOAD + "skabelon/"


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login(client):
    svar = client.get(UPLOAD)
    assert svar.status_code == 302 and svar.url.startswith("/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("rolle", ["registrant", "kkr_laeser", "udenforstaaende"])
def test_only_administrators_may_import(client, request, rolle):
    client.force_login(request.getfixturevalue(rolle))
    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"fil": arbejdsbog(GOD)}).status_code == 403
    assert client.post(reverse("importer:bekraeft"), {"token": "x"}).status_code == 403


@pytest.mark.django_db
def test_a_superuser_may_import(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("chef", password="x"))
    assert client.get(UPLOAD).status_code == 200


@pytest.mark.django_db
def test_dry_run_then_confirm_imports_with_the_user_in_the_history(client, administrator,
                                                                   kontrakt_2025):
    client.force_login(administrator)
    side = client.get(UPLOAD)
    assert "Hent den tomme skabelon" in side.content.decode()

    proeve = client.post(UPLOAD, {"fil": arbejdsbog(GOD)})

    html = proeve.content.decode()
    assert "Prøvekørsel: crm-januar.xlsx" in html
    assert "Kontrollér tallene nedenfor" in html
    raekker = {o.ark: (o.nye, o.aendrede, o.uaendrede) for o in proeve.context["svar"].ark}
    assert raekker == {"Virksomheder": (1, 0, 0), "Forloeb": (1, 0, 0)}
    assert not Forloeb.objects.exists()
    token = proeve.context["token"]
    assert f'value="{token}"' in html and "Importér crm-januar.xlsx" in html

    bekraeftet = client.post(reverse("importer:bekraeft"), {"token": token})

    assert "Importeret: crm-januar.xlsx" in bekraeftet.content.decode()
    forloeb = Forloeb.objects.get(ekstern_id="ESCRM-1")
    historik = forloeb.history.get()
    assert historik.history_user == administrator
    assert historik.history_change_reason == "Import af crm-januar.xlsx"
    # The file is gone after the import: the same confirmation cannot run twice.
    igen = client.post(reverse("importer:bekraeft"), {"token": token}, follow=True)
    assert "ikke gemt længere" in igen.content.decode()


@pytest.mark.django_db
def test_a_file_with_errors_shows_them_and_offers_no_confirmation(client, administrator,
                                                                  kontrakt_2025):
    client.force_login(administrator)
    foer = antal()
    svar = client.post(UPLOAD, {"fil": arbejdsbog(
        GOD, ["ESCRM-2", "10000017", "kort", date(2025, 3, 5), date(2025, 3, 1), "", "", ""]
    )})
    html = svar.content.decode()
    assert "Filen har 1 fejl; intet er gemt." in html
    assert "Slutdatoen kan ikke ligge før startdatoen." in html
    assert "01-03-2025" in html
    assert svar.context["token"] is None and "bekraeft" not in html
    assert antal() == foer


@pytest.mark.django_db
def test_a_file_that_changes_nothing_needs_no_confirmation(client, administrator, kontrakt_2025):
    client.force_login(administrator)
    client.post(reverse("importer:bekraeft"), {"token": client.post(
        UPLOAD, {"fil": arbejdsbog(GOD)}).context["token"]})
    svar = client.post(UPLOAD, {"fil": arbejdsbog(GOD)})
    assert "ændrer intet" in svar.content.decode()
    assert svar.context["token"] is None


@pytest.mark.django_db
def test_a_confirmation_from_another_upload_is_refused(client, administrator, kontrakt_2025):
    client.force_login(administrator)
    client.post(UPLOAD, {"fil": arbejdsbog(GOD)})
    svar = client.post(reverse("importer:bekraeft"), {"token": "../../etc/passwd"}, follow=True)
    assert "Upload den igen" in svar.content.decode()
    assert not Forloeb.objects.exists()


@pytest.mark.django_db
@override_settings(IMPORT_MAX_BYTES=100)
def test_a_file_too_large_is_refused_with_where_the_limit_is_set(client, administrator):
    client.force_login(administrator)
    svar = client.post(UPLOAD, {"fil": arbejdsbog(GOD)})
    html = svar.content.decode()
    assert "importen tager højst" in html and "IMPORT_MAX_BYTES" in html


@pytest.mark.django_db
def test_a_renamed_pdf_is_answered_on_the_page(client, administrator):
    client.force_login(administrator)
    svar = client.post(UPLOAD, {"fil": SimpleUploadedFile("data.xlsx", b"%PDF-1.4 ...")})
    assert svar.status_code == 200
    assert "Filen er en PDF" in svar.content.decode()


@pytest.mark.django_db
def test_the_template_downloads_as_a_workbook(client, registrant):
    client.force_login(registrant)
    svar = client.get(reverse("importer:skabelon"))
    assert svar.status_code == 200
    assert svar["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "registreringer-skabelon.xlsx" in svar["Content-Disposition"]
    wb = load_workbook(io.BytesIO(svar.content))
    assert wb.sheetnames[0] == "Vejledning" and "Forloeb" in wb.sheetnames


@pytest.mark.django_db
def test_the_downloaded_template_uploads_unchanged_without_errors(client, administrator):
    client.force_login(administrator)
    skabelon = client.get(reverse("importer:skabelon")).content
    svar = client.post(UPLOAD, {"fil": SimpleUploadedFile("skabelon.xlsx", skabelon)})
    assert svar.context["svar"].ok and not svar.context["svar"].advarsler
    assert "ændrer intet" in svar.content.decode()


@pytest.mark.django_db
def test_the_template_is_for_users_who_see_forloeb(client, kkr_laeser):
    client.force_login(kkr_laeser)
    assert client.get(reverse("importer:skabelon")).status_code == 403


@pytest.mark.django_db
def test_changed_rows_are_listed_in_the_dry_run(client, administrator, kontrakt_2025):
    factories.forloeb(virksomhed_=factories.virksomhed(cvr="10000017"), ekstern_id="ESCRM-1",
                      startdato=date(2025, 1, 5))
    client.force_login(administrator)
    svar = client.post(UPLOAD, {"fil": arbejdsbog(GOD)})
    html = svar.content.decode()
    assert "1 ændrede rækker i Forloeb" in html
    assert "ESCRM-1: slutdato (tom) → 2025-01-20" in html
