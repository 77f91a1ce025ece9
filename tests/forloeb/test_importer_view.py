"""The upload page: who may use it, dry run first, import only on confirmation, a sheet choice
for CSV files, its waiting files, and the template.

The dry run and the import run as background tasks (``forloeb.tasks``); the tests run them at
once (``settings_test.TASKS``), so an upload redirects to its run's page, which already shows the
answer, and a confirmation redirects to the import's own run (a reload imports nothing)."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from forloeb.models import Forloeb, Importkoersel, Virksomhed
from tests import factories
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, VIRKSOMHED_OVERSKRIFT, antal, bog

UPLOAD = "/registrering/import/"


@pytest.fixture(autouse=True)
def ventende(settings, tmp_path):
    """The folder where dry-run files wait, private to each test."""
    settings.IMPORT_TMP_DIR = tmp_path / "import"
    return settings.IMPORT_TMP_DIR


def filer(mappe) -> list[str]:
    return sorted(p.name for p in mappe.glob("*.upload")) if mappe.exists() else []


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
    assert reverse("importer:koersel", args=[7]) == UPLOAD + "7/"
    assert reverse("importer:koersel_status", args=[7]) == UPLOAD + "7/status/"


def proeve(client, data):
    """Upload: the redirect to the run's page, which shows the dry run (tasks run at once)."""
    svar = client.post(UPLOAD, data, follow=True)
    assert svar.redirect_chain[0][0].startswith(UPLOAD) and svar.status_code == 200
    return svar


def token(svar) -> str | None:
    return svar.context["koersel"].token if svar.context["kan_bekraefte"] else None


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

    svar = proeve(client, {"fil": arbejdsbog(GOD)})

    html = svar.content.decode()
    assert "Prøvekørsel: crm-januar.xlsx" in html
    assert "Kontrollér tallene nedenfor" in html
    raekker = {o.ark: (o.nye, o.aendrede, o.uaendrede) for o in svar.context["svar"].ark}
    assert raekker == {"Virksomheder": (1, 0, 0), "Forloeb": (1, 0, 0)}
    assert not Forloeb.objects.exists()
    noegle = token(svar)
    assert f'value="{noegle}"' in html and "Importér crm-januar.xlsx" in html

    bekraeftet = client.post(reverse("importer:bekraeft"), {"token": noegle})

    # POST/redirect/GET: the answer shows on the import's page the browser is sent to.
    koersel = Importkoersel.objects.get(dry_run=False)
    assert bekraeftet.status_code == 302 and bekraeftet.url == f"{UPLOAD}{koersel.pk}/"
    vist = client.get(bekraeftet.url).content.decode()
    assert "Importeret: crm-januar.xlsx" in vist
    assert "crm-januar.xlsx er importeret." in vist
    assert "Importen er gemt. Historikken viser ændringerne" in vist
    assert "<td class=\"tal\">1</td>" in vist  # one new row per sheet
    forloeb = Forloeb.objects.get(ekstern_id="ESCRM-1")
    historik = forloeb.history.get()
    assert historik.history_user == administrator
    assert historik.history_change_reason == "Import af crm-januar.xlsx"
    # Reloading shows the same answer and imports nothing again; the upload page is empty.
    assert "Importeret: crm-januar.xlsx" in client.get(bekraeftet.url).content.decode()
    assert "Importeret:" not in client.get(UPLOAD).content.decode()
    assert forloeb.history.count() == 1
    # The file is gone after the import: the same confirmation cannot run twice.
    igen = client.post(reverse("importer:bekraeft"), {"token": noegle}, follow=True)
    assert "ikke gemt længere" in igen.content.decode()
    assert forloeb.history.count() == 1


@pytest.mark.django_db
def test_a_file_with_errors_shows_them_and_offers_no_confirmation(client, administrator,
                                                                  kontrakt_2025):
    client.force_login(administrator)
    foer = antal()
    svar = proeve(client, {"fil": arbejdsbog(
        GOD, ["ESCRM-2", "10000017", "kort", date(2025, 3, 5), date(2025, 3, 1), "", "", ""]
    )})
    html = svar.content.decode()
    assert "Filen har 1 fejl; intet er gemt." in html
    assert "Slutdatoen kan ikke ligge før startdatoen." in html
    assert "01-03-2025" in html
    assert token(svar) is None and "bekraeft" not in html
    assert antal() == foer


@pytest.mark.django_db
def test_a_file_that_changes_nothing_needs_no_confirmation(client, administrator, kontrakt_2025):
    client.force_login(administrator)
    client.post(reverse("importer:bekraeft"), {"token": token(
        proeve(client, {"fil": arbejdsbog(GOD)}))})
    svar = proeve(client, {"fil": arbejdsbog(GOD)})
    assert "ændrer intet" in svar.content.decode()
    assert token(svar) is None


@pytest.mark.django_db
def test_a_confirmation_from_another_upload_is_refused(client, administrator, kontrakt_2025):
    client.force_login(administrator)
    proeve(client, {"fil": arbejdsbog(GOD)})
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
    svar = proeve(client, {"fil": SimpleUploadedFile("data.xlsx", b"%PDF-1.4 ...")})
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
    svar = proeve(client, {"fil": SimpleUploadedFile("skabelon.xlsx", skabelon)})
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
    svar = proeve(client, {"fil": arbejdsbog(GOD)})
    html = svar.content.decode()
    assert "1 ændret række i Forløb" in html
    assert "ESCRM-1: slutdato (tom) → 2025-01-20" in html


@pytest.mark.django_db
def test_a_confirmed_import_with_changes_lists_them_after_the_redirect(client, administrator,
                                                                       kontrakt_2025):
    factories.forloeb(virksomhed_=factories.virksomhed(cvr="10000017"), ekstern_id="ESCRM-1",
                      startdato=date(2025, 1, 5))
    client.force_login(administrator)
    noegle = token(proeve(client, {"fil": arbejdsbog(GOD)}))
    svar = client.post(reverse("importer:bekraeft"), {"token": noegle}, follow=True)
    html = svar.content.decode()
    koersel = Importkoersel.objects.get(dry_run=False)
    assert svar.redirect_chain == [(f"{UPLOAD}{koersel.pk}/", 302)]
    assert "1 ændret række i Forløb" in html
    assert "ESCRM-1: slutdato (tom) → 2025-01-20" in html


@pytest.mark.django_db
def test_waiting_files_live_in_the_setting_and_a_new_dry_run_deletes_the_one_it_replaces(
    client, administrator, kontrakt_2025, ventende
):
    client.force_login(administrator)
    foerste = token(proeve(client, {"fil": arbejdsbog(GOD)}))
    assert filer(ventende) == [f"{foerste}.upload"]

    anden = token(proeve(client, {"fil": arbejdsbog(GOD)}))

    assert filer(ventende) == [f"{anden}.upload"]
    # The replaced dry run cannot be confirmed any more.
    svar = client.post(reverse("importer:bekraeft"), {"token": foerste}, follow=True)
    assert "Upload den igen" in svar.content.decode()
    assert not Forloeb.objects.exists()
    # A dry run with errors replaces it too, and leaves no file behind.
    proeve(client, {"fil": arbejdsbog(
        ["ESCRM-2", "10000017", "lang", date(2025, 1, 5), None, "", "", ""]
    )})
    assert filer(ventende) == []


@pytest.mark.django_db
def test_the_confirmation_removes_its_file(client, administrator, kontrakt_2025, ventende):
    client.force_login(administrator)
    noegle = token(proeve(client, {"fil": arbejdsbog(GOD)}))
    client.post(reverse("importer:bekraeft"), {"token": noegle})
    assert filer(ventende) == []


UDTRAEK = b"cvr;navn;kommunekode;stiftelsesdato\n10000017;Bo ApS;330;01-01-2001\n"


@pytest.mark.django_db
def test_a_csv_whose_name_is_no_sheet_is_read_as_the_chosen_sheet(client, administrator,
                                                                  kontrakt_2025):
    client.force_login(administrator)
    side = client.get(UPLOAD).content.decode()
    assert '<option value="Virksomheder">Virksomheder</option>' in side
    assert "Ark (CSV-fil)" in side

    svar = proeve(client, {"fil": SimpleUploadedFile("udtraek.csv", UDTRAEK),
                           "ark": "Virksomheder"})

    assert svar.context["svar"].ok
    assert [(o.ark, o.nye) for o in svar.context["svar"].ark] == [("Virksomheder", 1)]
    client.post(reverse("importer:bekraeft"), {"token": token(svar)})
    assert Virksomhed.objects.get(cvr="10000017").navn == "Bo ApS"


@pytest.mark.django_db
def test_a_csv_without_a_sheet_says_where_on_the_page_to_choose_it(client, administrator):
    client.force_login(administrator)
    svar = proeve(client, {"fil": SimpleUploadedFile("udtraek.csv", UDTRAEK)})
    html = svar.content.decode()
    assert "Det kan ikke ses, hvilket ark CSV-filen &#x27;udtraek.csv&#x27; indeholder" in html
    assert "vælg arket: feltet &#x27;Ark (CSV-fil)&#x27; på importsiden" in html


@pytest.mark.django_db
def test_a_chosen_sheet_contradicting_the_file_name_is_refused(client, administrator):
    client.force_login(administrator)
    svar = proeve(client, {"fil": SimpleUploadedFile("Forloeb.csv", UDTRAEK),
                           "ark": "Virksomheder"})
    (fejl,) = svar.context["svar"].fejl
    assert fejl.besked == (
        "Filnavnet 'Forloeb.csv' siger arket Forloeb, men arket Virksomheder er valgt. Vælg det "
        "samme ark, eller giv filen det valgte arks navn."
    )
