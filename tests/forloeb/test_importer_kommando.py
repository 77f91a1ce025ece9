"""``manage.py importer``: the same import from the command line, with --dry-run, --ark and
--bruger (else the app's user named as the OS login, else refused), and a non-zero exit when the
file has errors."""

import getpass
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from forloeb.models import Forloeb, Virksomhed
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, VIRKSOMHED_OVERSKRIFT, antal, bog


def kor(*args) -> str:
    ud = StringIO()
    call_command("importer", *map(str, args), stdout=ud)
    return ud.getvalue()


@pytest.fixture
def fil(tmp_path):
    sti = tmp_path / "crm.xlsx"
    sti.write_bytes(bog(
        Virksomheder=[VIRKSOMHED_OVERSKRIFT, ["10000017", "Nordisk Bageri ApS", "330",
                                              date(2010, 1, 1)]],
        Forloeb=[FORLOEB_OVERSKRIFT, ["ESCRM-1", "10000017", "kort", date(2025, 1, 5), None,
                                      "", "", ""]],
    ))
    return sti


@pytest.mark.django_db
def test_dry_run_prints_the_counts_and_writes_nothing(kontrakt_2025, fil):
    foer = antal()
    ud = kor(fil, "--dry-run")
    assert "Forloeb: 1 nye, 0 ændrede, 0 uændrede" in ud
    assert "Prøvekørsel: intet er gemt." in ud
    assert antal() == foer


@pytest.mark.django_db
def test_import_records_the_named_user_and_the_file_name(kontrakt_2025, fil, administrator):
    ud = kor(fil, "--bruger", "administrator")
    assert "Importen er gemt. Historikken viser ændringerne som foretaget af administrator." in ud
    historik = Forloeb.objects.get(ekstern_id="ESCRM-1").history.get()
    assert (historik.history_user, historik.history_change_reason) == (
        administrator, "Import af crm.xlsx"
    )


@pytest.mark.django_db
def test_a_file_that_changes_nothing_says_so_instead_of_saved(kontrakt_2025, fil, administrator):
    kor(fil, "--bruger", "administrator")
    foer = antal()
    ud = kor(fil, "--bruger", "administrator")
    assert "Forloeb: 0 nye, 0 ændrede, 1 uændrede" in ud
    assert ud.rstrip().endswith("Intet at importere: alle rækker findes allerede uændret.")
    assert "Importen er gemt" not in ud
    assert antal() == foer


@pytest.mark.django_db
def test_without_bruger_the_app_user_named_as_the_os_login_is_recorded(kontrakt_2025, fil,
                                                                       administrator,
                                                                       monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "administrator")
    ud = kor(fil)
    assert "foretaget af administrator" in ud
    assert Forloeb.objects.get(ekstern_id="ESCRM-1").history.get().history_user == administrator


@pytest.mark.django_db
def test_without_bruger_and_no_app_user_for_the_os_login_the_import_is_refused(kontrakt_2025, fil,
                                                                               monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "www-data")
    foer = antal()
    with pytest.raises(CommandError) as fejl:
        kor(fil)
    assert fejl.value.returncode == 2
    assert str(fejl.value) == (
        "Angiv, hvem importen foretages af: --bruger BRUGERNAVN (en bruger i appen), så "
        "historikken kan vise det. Appen har ingen bruger 'www-data' som dit login. Intet er gemt."
    )
    assert antal() == foer


@pytest.mark.django_db
def test_without_any_login_name_the_import_asks_for_bruger(kontrakt_2025, fil, monkeypatch):
    def uden_login():
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", uden_login)
    with pytest.raises(CommandError, match=r"^Angiv, hvem importen foretages af: --bruger"):
        kor(fil)
    assert not Forloeb.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_needs_no_user(kontrakt_2025, fil, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "www-data")
    assert "Prøvekørsel: intet er gemt." in kor(fil, "--dry-run")
    with pytest.raises(CommandError, match="Brugeren 'ingen' findes ikke."):
        kor(fil, "--dry-run", "--bruger", "ingen")


def test_the_help_says_who_the_history_names():
    from forloeb.management.commands.importer import Command

    assert "samme brugernavn som dit login" in Command.help
    assert "afvises importen" in Command.help


@pytest.mark.django_db
def test_errors_are_printed_and_the_command_fails(kontrakt_2025, tmp_path, administrator):
    sti = tmp_path / "Forloeb.csv"
    sti.write_text("ekstern_id;cvr;type;startdato;slutdato;raadgiver;emner;fyrtaarn\n"
                   "E-1;10000025;kort;05-01-2025;;;;\n", encoding="utf-8")
    ud = StringIO()
    with pytest.raises(CommandError, match="1 fejl; intet er gemt"):
        call_command("importer", str(sti), "--bruger", "administrator", stdout=ud)
    assert ("FEJL – Forloeb, række 2, kolonne cvr, værdi '10000025': Virksomheden med CVR "
            "10000025 står hverken i arket Virksomheder") in ud.getvalue()


@pytest.mark.django_db
def test_a_csv_names_its_sheet_by_option(kontrakt_2025, tmp_path, administrator):
    sti = tmp_path / "udtraek.csv"
    sti.write_text("cvr,navn,kommunekode,stiftelsesdato\n10000017,Bo ApS,330,2001-01-01\n",
                   encoding="utf-8-sig")
    kor(sti, "--ark", "Virksomheder", "--bruger", "administrator")
    assert Virksomhed.objects.filter(cvr="10000017").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("args, besked", [
    (["findes-ikke.xlsx"], "Filen findes-ikke.xlsx findes ikke."),
    (["{fil}", "--bruger", "ingen"], "Brugeren 'ingen' findes ikke."),
    (["{fil}", "--erhvervshus", "Erhvervshus Ø"], "Erhvervshuset 'Erhvervshus Ø' findes ikke."),
])
def test_bad_arguments_are_answered(kontrakt_2025, fil, args, besked):
    with pytest.raises(CommandError, match=besked):
        kor(*(a.format(fil=fil) for a in args))
