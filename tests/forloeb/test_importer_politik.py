"""What a user would not call an error (issue 10): an exact duplicate row is counted once with a
note; målinger of any year from 2015 are kept, with or without a contract for it, dated from
1 January of their year up to today; aktør names are one whatever their case and spaces, in the
database as well. And the import plans outside any transaction."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from forloeb.importer import importer
from forloeb.models import Aktoer, Forloeb
from maal.models import Maaling
from tests.factories import erhvervshus
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, VIRKSOMHED_OVERSKRIFT, bog

IDAG = datetime(2025, 7, 15, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
VIRKSOMHED = ["10000017", "Politik ApS", "330", date(2001, 1, 1)]
FORLOEB = ["E-1", "10000017", "kort", date(2025, 2, 1), date(2025, 3, 1), "Anne", "ai", ""]
MAALING = ["noegle", "aar", "vaerdi", "kilde", "dato", "kommentar"]


def med_dublet() -> bytes:
    return bog(Virksomheder=[VIRKSOMHED_OVERSKRIFT, VIRKSOMHED],
               Forloeb=[FORLOEB_OVERSKRIFT, FORLOEB, ["E-2", *FORLOEB[1:]], list(FORLOEB)])


@pytest.mark.django_db
@time_machine.travel(IDAG, tick=False)
def test_a_row_identical_to_an_earlier_one_is_counted_once_with_a_note(administrator):
    svar = importer(med_dublet(), "dublet.xlsx", bruger=administrator)
    assert svar.ok, svar.tekst()
    assert svar.opgoerelse("Forloeb").nye == 2
    assert svar.opgoerelse("Forloeb").bemaerkninger == [
        "række 4 er magen til række 2 og tælles én gang"]
    assert Forloeb.objects.count() == 2


@pytest.mark.django_db
@time_machine.travel(IDAG, tick=False)
def test_the_note_shows_in_the_dry_run_of_the_command_and_of_the_upload_page(tmp_path):
    fil = tmp_path / "dublet.xlsx"
    fil.write_bytes(med_dublet())
    ud = io.StringIO()
    call_command("importer", str(fil), "--dry-run", stdout=ud)
    assert "række 4 er magen til række 2 og tælles én gang" in ud.getvalue()
    svar = importer(med_dublet(), "dublet.xlsx", dry_run=True)
    side = render_to_string("forloeb/import/_svar.html", {"svar": svar})
    assert "Bemærkninger" in side
    assert "Forløb: række 4 er magen til række 2 og tælles én gang" in side


@pytest.mark.django_db
@time_machine.travel(IDAG, tick=False)
def test_the_same_key_with_other_values_stays_an_error():
    andet = [*FORLOEB[:5], "Bo", *FORLOEB[6:]]
    svar = importer(bog(Virksomheder=[VIRKSOMHED_OVERSKRIFT, VIRKSOMHED],
                        Forloeb=[FORLOEB_OVERSKRIFT, FORLOEB, andet]), "f.xlsx")
    (fejl,) = svar.fejl
    assert (fejl.raekke, fejl.kolonne) == (3, "ekstern_id")
    assert "samme nøgle står allerede i række 2" in fejl.besked
    assert "ikke ens i alle kolonner" in fejl.besked


@pytest.mark.django_db
@time_machine.travel(IDAG, tick=False)
def test_maalinger_of_any_year_from_2015_are_kept_with_or_without_a_contract(kontrakt_2025):
    svar = importer(bog(Maalinger=[
        MAALING,
        ["M3.nps", 2019, 61, "ERST", date(2019, 11, 1), ""],  # no contract for 2019
        ["M3.nps", 2024, 64, "ERST", date(2025, 2, 1), "endeligt tal efter året"],
        ["M3.nps", 2025, 70, "ERST", date(2025, 7, 15), "i dag"],
    ]), "m.xlsx")
    assert svar.ok, svar.tekst()
    assert sorted(Maaling.objects.values_list("aar", "vaerdi")) == [(2019, 61), (2024, 64),
                                                                     (2025, 70)]


@pytest.mark.django_db
@time_machine.travel(IDAG, tick=False)
@pytest.mark.parametrize(("raekke", "kolonne", "besked"), [
    (["M3.nps", 2014, 60, "ERST", date(2014, 6, 1), ""], "aar", "Målinger tages fra 2015"),
    (["M3.nps", 2025, 60, "ERST", date(2024, 12, 31), ""], "dato",
     "Datoen skal ligge i kontraktåret 2025"),
    (["M3.nps", 2025, 60, "ERST", date(2025, 7, 16), ""], "dato",
     "En måling kan ikke dateres i fremtiden"),
    (["M3.nps", 2024, 60, "ERST", date(2025, 7, 16), ""], "dato",
     "er et endeligt tal for året; den kan ikke dateres i fremtiden"),
])
def test_a_maaling_outside_its_dates_is_refused_by_the_import(kontrakt_2025, raekke, kolonne,
                                                              besked):
    svar = importer(bog(Maalinger=[MAALING, raekke]), "m.xlsx")
    (fejl,) = svar.fejl
    assert fejl.kolonne == kolonne and besked in fejl.besked
    assert not Maaling.objects.exists()


@pytest.mark.django_db
@time_machine.travel(IDAG, tick=False)
def test_the_goal_page_shows_last_years_nps_beside_this_years(kontrakt_2025, laeser_klient):
    importer(bog(Maalinger=[MAALING, ["M3.nps", 2024, 64, "ERST", date(2025, 2, 1), ""],
                            ["M3.nps", 2025, 70, "ERST", date(2025, 6, 1), ""]]), "m.xlsx")
    side = laeser_klient.get(reverse("rapporter:maal", args=[3]), {"aar": 2025}).content.decode()
    assert "sidste år (2024)" in side and "01-02-2025" in side


@pytest.mark.django_db
@pytest.mark.parametrize("navn", ["væksthus nord", "VÆKSTHUS NORD", "Væksthus  Nord",
                                  " Væksthus Nord"])
def test_the_database_refuses_a_second_aktoer_name_whatever_its_case_and_spaces(navn):
    Aktoer.objects.create(navn="Væksthus Nord", type="privat")
    if navn == "VÆKSTHUS NORD" and connection.vendor == "sqlite":
        pytest.skip("SQLite's lower() folds A–Z only; Aktoer.validate_constraints folds Æ")
    with pytest.raises(IntegrityError), transaction.atomic():
        Aktoer.objects.create(navn=navn, type="privat")


@pytest.mark.django_db
@time_machine.travel(IDAG, tick=False)
def test_an_aktoerer_row_naming_a_known_aktoer_in_other_case_and_spaces_updates_it(db):
    Aktoer.objects.create(navn="Væksthus Nord", type="privat")
    svar = importer(bog(Aktoerer=[["navn", "type", "kommunekoder"],
                                  ["væksthus   NORD", "anden", ""]]), "a.xlsx")
    assert svar.ok and svar.opgoerelse("Aktoerer").aendrede == 1, svar.tekst()
    assert list(Aktoer.objects.filter(navn__icontains="nord").values_list("navn", "type")) == [
        ("Væksthus Nord", "anden")]


@pytest.mark.django_db
@time_machine.travel(IDAG, tick=False)
def test_the_plan_is_made_outside_any_transaction_and_the_progress_hook_sees_each_sheet():
    kald = []
    testens = len(connection.atomic_blocks)  # the test's own transaction

    def fremskridt(ark, laest, kontrolleret):
        kald.append((ark, laest, kontrolleret, len(connection.atomic_blocks) > testens))

    svar = importer(med_dublet(), "dublet.xlsx", fremskridt=fremskridt,
                    erhvervshus=erhvervshus())  # no user, no contract: the house is named
    assert svar.ok and svar.gemt
    assert ("Virksomheder", 1, 1, False) in kald
    assert ("Forloeb", 2, 2, False) in kald
    assert not any(i_transaktion for *_, i_transaktion in kald)
