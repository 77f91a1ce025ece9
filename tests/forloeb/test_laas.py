"""Approved periods lock their records (issue 9, item 4; ``forloeb.laas`` and ``forloeb.adgang``).

A change whose counting date lies in an approved period (before or after the change), a
henvisning on such a forløb, a new record dated in it or a delete needs an administrator and a
reason: a registrant is refused with the period's sentence, in the browser, in the services and
in the import (one error per row); an administrator without a reason is refused too.

The approvals' own source (``rapporter.godkendelse``) is not used here: each test registers a
period of its own with ``laas.med_kilde``.
"""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from forloeb import laas, services
from forloeb.importer import importer
from forloeb.models import AITjek, Aktoer, Forloeb, Henvisning
from tests import factories
from tests.forloeb.test_ejerskab import forloeb_raekke
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, bog
from tests.forloeb.test_views_forloeb import formdata, redigering

pytestmark = pytest.mark.django_db

GODKENDT = "1. halvår 2025 er godkendt 14. august 2025 af Chef Jensen (version 1)"
H1 = laas.LaastPeriode(fra=date(2025, 1, 1), til=date(2025, 6, 30), grund=GODKENDT)
KUN_ADMIN = (f"{GODKENDT}; kun en administrator kan ændre registreringer i perioden, med en "
             "årsag.")
HENVISNING_OVERSKRIFT = ["forloeb_ekstern_id", "aktoer", "aktoertype", "dato"]
AI_OVERSKRIFT = ["ekstern_id", "cvr", "dato", "henvist_af_lokal_erhvervsservice"]


def h1_kilde():
    return [H1]


@pytest.fixture(autouse=True)
def september_2025():
    with time_machine.travel(datetime(2025, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen")),
                             tick=False):
        yield


@pytest.fixture
def h1_godkendt():
    with laas.med_kilde(h1_kilde):
        yield H1


@pytest.fixture
def i_h1(registrant):
    """The registrant's own forløb, gennemført in H1, with a henvisning."""
    return factories.forloeb(startdato=date(2025, 2, 1), slutdato=date(2025, 3, 31),
                             henvist_til=["Innovationsfonden"], bruger=registrant,
                             ekstern_id="F-H1")


def ret(forloeb):
    return reverse("forloeb:forloeb_ret", args=[forloeb.pk])


def test_the_source_is_asked_only_while_registered(i_h1):
    assert laas.laast([date(2025, 3, 31)]) is None
    with laas.med_kilde(h1_kilde):
        assert laas.laast([None, date(2025, 3, 31)]) == H1
        assert laas.laast([date(2025, 7, 1)]) is None
    assert laas.laaste_perioder() == [] or H1 not in laas.laaste_perioder()
    assert laas.taelledato(i_h1.henvisninger.get()) == date(2025, 3, 31)


def test_without_an_approval_the_registrant_changes_their_forloeb_in_h1(logget_ind, i_h1):
    side = logget_ind.get(ret(i_h1)).content.decode()
    assert "Kun til læsning" not in side
    assert logget_ind.post(ret(i_h1), redigering(i_h1, slutdato="2025-03-31",
                                                 raadgiver="Bo")).status_code == 302


# --- In the browser ------------------------------------------------------------------------------


def test_a_registrant_sees_why_their_record_in_an_approved_period_is_locked(
    logget_ind, i_h1, h1_godkendt
):
    svar = logget_ind.get(ret(i_h1))
    side = svar.content.decode()
    assert svar.status_code == 200 and "Kun til læsning" in side and KUN_ADMIN in side
    assert ">Gem</button>" not in side
    data = redigering(i_h1, slutdato="2025-03-31", raadgiver="Bo", aarsag="Forsøg")
    svar = logget_ind.post(ret(i_h1), data)
    assert svar.status_code == 403 and KUN_ADMIN in svar.content.decode()
    slet = reverse("forloeb:forloeb_slet", args=[i_h1.pk])
    svar = logget_ind.post(slet, {"aarsag": "Forsøg"})
    assert svar.status_code == 403 and KUN_ADMIN in svar.content.decode()
    i_h1.refresh_from_db()
    assert i_h1.raadgiver != "Bo" and Henvisning.objects.count() == 1


def test_a_registrant_cannot_create_a_record_in_an_approved_period(logget_ind, h1_godkendt):
    virksomhed = factories.virksomhed()
    svar = logget_ind.post(reverse("forloeb:ai_tjek_opret"), {
        "virksomhed-soeg": virksomhed.cvr, "dato": "2025-06-30"})
    side = svar.content.decode()
    assert svar.status_code == 422 and KUN_ADMIN in side
    felt = side[side.index('id="id_dato"') - 600:side.index('id="id_dato"')]
    assert KUN_ADMIN in felt  # next to the date field
    assert not AITjek.objects.exists()

    svar = logget_ind.post(reverse("forloeb:forloeb_opret"), formdata(slutdato="2025-06-30"))
    assert svar.status_code == 422 and KUN_ADMIN in svar.content.decode()
    assert not Forloeb.objects.exists()

    # After the period: as always.
    assert logget_ind.post(reverse("forloeb:ai_tjek_opret"), {
        "virksomhed-soeg": virksomhed.cvr, "dato": "2025-07-01"}).status_code == 302


def test_a_registrant_cannot_end_their_open_forloeb_inside_the_approved_period(
    logget_ind, registrant, h1_godkendt
):
    aaben = factories.forloeb(startdato=date(2025, 2, 1), bruger=registrant)
    svar = logget_ind.post(ret(aaben), redigering(aaben, slutdato="2025-05-01"))
    assert svar.status_code == 422 and KUN_ADMIN in svar.content.decode()
    aaben.refresh_from_db()
    assert aaben.igangvaerende
    assert logget_ind.post(ret(aaben), redigering(aaben, slutdato="2025-08-01")
                           ).status_code == 302


def test_an_administrator_needs_a_reason_and_the_reason_is_in_the_history(
    client, administrator, i_h1, h1_godkendt
):
    client.force_login(administrator)
    side = client.get(ret(i_h1)).content.decode()
    assert "Kun til læsning" not in side and "Årsag til ændringen (påkrævet)" in side
    assert GODKENDT in side

    data = redigering(i_h1, slutdato="2025-03-31", raadgiver="Bo")
    svar = client.post(ret(i_h1), data)
    assert svar.status_code == 422 and "Skriv hvorfor du ændrer forløbet" in svar.content.decode()
    i_h1.refresh_from_db()
    assert i_h1.raadgiver != "Bo"

    svar = client.post(ret(i_h1), {**data, "aarsag": "Rådgiver rettet efter revision"})
    assert svar.status_code == 302
    i_h1.refresh_from_db()
    seneste = i_h1.history.first()
    assert (i_h1.raadgiver, seneste.history_user, seneste.history_change_reason) == (
        "Bo", administrator, "Rådgiver rettet efter revision")
    historik = client.get(ret(i_h1)).content.decode().split('id="historik-titel"')[1]
    assert "<em>Rådgiver rettet efter revision</em>" in historik


def test_an_administrators_new_record_in_the_period_needs_a_reason(
    client, administrator, h1_godkendt
):
    client.force_login(administrator)
    virksomhed = factories.virksomhed()
    url = reverse("forloeb:ai_tjek_opret")
    side = client.get(url).content.decode()
    assert "Påkrævet, hvis registreringen ligger i en godkendt periode" in side
    svar = client.post(url, {"virksomhed-soeg": virksomhed.cvr, "dato": "2025-06-30"})
    assert svar.status_code == 422 and "Skriv hvorfor" in svar.content.decode()
    assert not AITjek.objects.exists()
    svar = client.post(url, {"virksomhed-soeg": virksomhed.cvr, "dato": "2025-06-30",
                             "aarsag": "Glemt i juni"})
    assert svar.status_code == 302
    assert AITjek.objects.get().history.get().history_change_reason == "Glemt i juni"


# --- In the services -----------------------------------------------------------------------------


def test_the_services_refuse_a_registrant_and_an_administrator_without_a_reason(
    registrant, administrator, i_h1, h1_godkendt
):
    with pytest.raises(ValidationError) as fejl:
        services.opdater(i_h1, raadgiver="Bo", bruger=registrant, aarsag="Forsøg")
    assert fejl.value.message_dict == {"slutdato": [KUN_ADMIN]}
    with pytest.raises(ValidationError) as fejl:
        services.opdater(i_h1, raadgiver="Bo", bruger=administrator)
    assert list(fejl.value.message_dict) == ["aarsag"]
    assert fejl.value.message_dict["aarsag"][0].startswith("Skriv hvorfor")
    assert Forloeb.objects.get().raadgiver != "Bo"

    services.opdater(i_h1, raadgiver="Bo", bruger=administrator, aarsag="Efter revision")
    assert Forloeb.objects.get().raadgiver == "Bo"


def test_a_forloeb_moved_out_of_the_period_touches_the_period_too(
    registrant, administrator, i_h1, h1_godkendt
):
    with pytest.raises(ValidationError, match="kun en administrator"):
        services.opdater(i_h1, slutdato=date(2025, 8, 1), bruger=registrant, aarsag="Flyttet")
    i_h1.refresh_from_db()
    with pytest.raises(ValidationError, match="Skriv hvorfor"):
        services.opdater(i_h1, slutdato=date(2025, 8, 1), bruger=administrator)
    i_h1.refresh_from_db()
    assert i_h1.slutdato == date(2025, 3, 31)
    services.opdater(i_h1, slutdato=date(2025, 8, 1), bruger=administrator,
                     aarsag="Afsluttet i august, ikke marts")
    assert Forloeb.objects.get().slutdato == date(2025, 8, 1)


def test_a_henvisning_on_a_locked_forloeb_is_locked_with_it(
    registrant, administrator, i_h1, h1_godkendt
):
    eksport = Aktoer.objects.get(navn="Eksportrådet")
    with pytest.raises(ValidationError, match="kun en administrator"):
        services.henvisning_create(forloeb=i_h1, aktoer=eksport, dato=date(2025, 3, 1),
                                   bruger=registrant)
    with pytest.raises(ValidationError, match="kun en administrator"):
        services.slet(i_h1.henvisninger.get(), bruger=registrant, aarsag="Forkert")
    with pytest.raises(ValidationError, match="Skriv hvorfor"):
        services.henvisning_create(forloeb=i_h1, aktoer=eksport, dato=date(2025, 3, 1),
                                   bruger=administrator)
    assert i_h1.henvisninger.count() == 1
    services.henvisning_create(forloeb=i_h1, aktoer=eksport, dato=date(2025, 3, 1),
                               bruger=administrator, aarsag="Henvisning glemt")
    assert i_h1.henvisninger.count() == 2


def test_deleting_in_the_period_needs_an_administrator(
    client, registrant, administrator, i_h1, h1_godkendt
):
    with pytest.raises(ValidationError, match="kun en administrator"):
        services.slet(i_h1, bruger=registrant, aarsag="Dublet")
    client.force_login(administrator)
    slet = reverse("forloeb:forloeb_slet", args=[i_h1.pk])
    assert GODKENDT in client.get(slet).content.decode()
    assert client.post(slet, {"aarsag": ""}).status_code == 422
    assert client.post(slet, {"aarsag": "Dublet af F-7"}).status_code == 302
    assert Forloeb.history.get(history_type="-").history_change_reason == "Dublet af F-7"


# --- In the import -------------------------------------------------------------------------------


def test_an_import_touching_the_period_is_refused_naming_each_row(
    registrant, i_h1, h1_godkendt
):
    efter = factories.forloeb(startdato=date(2025, 7, 1), slutdato=date(2025, 8, 1),
                              bruger=registrant, ekstern_id="F-AUG")
    fil = bog(
        Forloeb=[FORLOEB_OVERSKRIFT, forloeb_raekke(i_h1, raadgiver="Bo"),
                 forloeb_raekke(efter, raadgiver="Bo")],
        Henvisninger=[HENVISNING_OVERSKRIFT, ["F-H1", "Eksportrådet", "", date(2025, 3, 1)]],
        AI_tjek=[AI_OVERSKRIFT, ["AI-NY", i_h1.virksomhed.cvr, date(2025, 5, 1), ""]],
    )
    svar = importer(fil, "rettelser.xlsx", bruger=registrant, aarsag="Revision")
    assert not svar.gemt
    assert [(f.ark, f.raekke, f.kolonne, f.besked) for f in svar.fejl] == [
        ("Forloeb", 2, "slutdato", KUN_ADMIN),
        ("Henvisninger", 2, "forloeb_ekstern_id", KUN_ADMIN),
        ("AI-tjek", 2, "dato", KUN_ADMIN),
    ]
    assert not Forloeb.objects.filter(raadgiver="Bo").exists()  # not even F-AUG


def test_an_administrators_import_needs_a_reason_and_keeps_it(
    administrator, i_h1, h1_godkendt
):
    fil = bog(Forloeb=[FORLOEB_OVERSKRIFT, forloeb_raekke(i_h1, raadgiver="Bo")])
    svar = importer(fil, "rettelser.xlsx", bruger=administrator)
    assert not svar.gemt
    assert [(f.ark, f.raekke) for f in svar.fejl] == [("Forloeb", 2)]
    assert "kræver en årsag (--aarsag TEKST" in svar.fejl[0].besked
    assert GODKENDT in svar.fejl[0].besked

    svar = importer(fil, "rettelser.xlsx", bruger=administrator, aarsag="Rettet efter revision")
    assert svar.gemt
    i_h1.refresh_from_db()
    assert i_h1.raadgiver == "Bo"
    assert i_h1.history.first().history_change_reason == (
        "Import af rettelser.xlsx: Rettet efter revision")


def test_an_import_outside_the_period_needs_no_reason(registrant, h1_godkendt):
    efter = factories.forloeb(startdato=date(2025, 7, 1), slutdato=date(2025, 8, 1),
                              bruger=registrant)
    svar = importer(bog(Forloeb=[FORLOEB_OVERSKRIFT, forloeb_raekke(efter, raadgiver="Bo")]),
                    "juli.xlsx", bruger=registrant)
    assert svar.gemt and Forloeb.objects.get().raadgiver == "Bo"


@pytest.fixture
def rettelser(tmp_path, i_h1):
    sti = tmp_path / "rettelser.xlsx"
    sti.write_bytes(bog(Forloeb=[FORLOEB_OVERSKRIFT, forloeb_raekke(i_h1, raadgiver="Bo")]))
    return sti


def kor(*args):
    ud = StringIO()
    call_command("importer", *map(str, args), stdout=ud)
    return ud.getvalue()


def test_the_command_needs_an_administrator_and_aarsag(
    rettelser, registrant, administrator, i_h1, h1_godkendt
):
    with pytest.raises(CommandError):
        kor(rettelser, "--bruger", "registrant", "--aarsag", "Revision")
    with pytest.raises(CommandError):
        kor(rettelser, "--bruger", "administrator")
    assert Forloeb.objects.get().raadgiver != "Bo"

    ud = kor(rettelser, "--bruger", "administrator", "--aarsag", "Rettet efter revision")
    assert "Importen er gemt" in ud
    assert Forloeb.objects.get().history.first().history_change_reason == (
        "Import af rettelser.xlsx: Rettet efter revision")


def test_the_command_names_the_row_and_refuses_a_too_long_reason(
    rettelser, administrator, h1_godkendt
):
    ud = StringIO()
    with pytest.raises(CommandError, match="1 fejl; intet er gemt"):
        call_command("importer", str(rettelser), "--bruger", "administrator", stdout=ud)
    assert "Forloeb, række 2, kolonne slutdato" in ud.getvalue()
    with pytest.raises(CommandError, match="højst være 90 tegn") as fejl:
        kor(rettelser, "--bruger", "administrator", "--aarsag", "x" * 91)
    assert fejl.value.returncode == 2


def test_the_upload_page_asks_for_the_reason_while_a_period_is_approved(
    client, administrator, i_h1, settings, tmp_path
):
    settings.IMPORT_TMP_DIR = tmp_path / "import"
    client.force_login(administrator)
    upload = reverse("importer:upload")
    assert 'name="aarsag"' not in client.get(upload).content.decode()
    with laas.med_kilde(h1_kilde):
        assert 'name="aarsag"' in client.get(upload).content.decode()

        def fil():
            return SimpleUploadedFile("rettelser.xlsx", bog(
                Forloeb=[FORLOEB_OVERSKRIFT, forloeb_raekke(i_h1, raadgiver="Bo")]))

        side = client.post(upload, {"fil": fil()}, follow=True).content.decode()
        assert "kræver en årsag" in side and "bekraeft" not in side.split("</h1>", 1)[1]
        side = client.post(upload, {"fil": fil(), "aarsag": "Rettet efter revision"},
                           follow=True).content.decode()
        assert "Årsag: <em>Rettet efter revision</em>" in side
        token = side.split('name="token" value="')[1].split('"')[0]
        svar = client.post(reverse("importer:bekraeft"), {"token": token})
        assert svar.status_code == 302
    i_h1.refresh_from_db()
    assert i_h1.raadgiver == "Bo"
    assert i_h1.history.first().history_change_reason == (
        "Import af rettelser.xlsx: Rettet efter revision")
