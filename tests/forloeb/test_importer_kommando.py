"""``manage.py importer``: the same import from the command line, with --dry-run, --ark and
--bruger, and a non-zero exit when the file has errors."""

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
    assert "Importen er gemt." in ud
    historik = Forloeb.objects.get(ekstern_id="ESCRM-1").history.get()
    assert (historik.history_user, historik.history_change_reason) == (
        administrator, "Import af crm.xlsx"
    )
    assert "Forloeb: 0 nye, 0 ændrede, 1 uændrede" in kor(fil)


@pytest.mark.django_db
def test_errors_are_printed_and_the_command_fails(kontrakt_2025, tmp_path):
    sti = tmp_path / "Forloeb.csv"
    sti.write_text("ekstern_id;cvr;type;startdato;slutdato;raadgiver;emner;fyrtaarn\n"
                   "E-1;10000025;kort;05-01-2025;;;;\n", encoding="utf-8")
    ud = StringIO()
    with pytest.raises(CommandError, match="1 fejl; intet er gemt"):
        call_command("importer", str(sti), stdout=ud)
    assert ("FEJL – Forloeb, række 2, kolonne cvr, værdi '10000025': Virksomheden med CVR "
            "10000025 står hverken i arket Virksomheder") in ud.getvalue()


@pytest.mark.django_db
def test_a_csv_names_its_sheet_by_option(kontrakt_2025, tmp_path):
    sti = tmp_path / "udtraek.csv"
    sti.write_text("cvr,navn,kommunekode,stiftelsesdato\n10000017,Bo ApS,330,2001-01-01\n",
                   encoding="utf-8-sig")
    kor(sti, "--ark", "Virksomheder")
    assert Virksomhed.objects.filter(cvr="10000017").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("args, besked", [
    (["findes-ikke.xlsx"], "Filen findes-ikke.xlsx findes ikke."),
    (["{fil}", "--bruger", "ingen"], "Brugeren 'ingen' findes ikke."),
    (["{fil}", "--erhvervshus", "Erhvervshus Fyn"], "Erhvervshuset 'Erhvervshus Fyn' findes ikke."),
])
def test_bad_arguments_are_answered(kontrakt_2025, fil, args, besked):
    with pytest.raises(CommandError, match=besked):
        kor(*(a.format(fil=fil) for a in args))
