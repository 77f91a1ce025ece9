"""``python manage.py godkend``: approves with the file's explanations saved as in the browser;
names each indicator that lacks one (exit code 2, nothing saved); refuses unknown users, years,
periods and bad files in Danish with exit code 2, changing nothing."""

import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from rapporter.godkendelse import forklaringer, godkendt_rapport, seneste_godkendelse
from rapporter.models import Forklaring, Godkendelse

KBH = ZoneInfo("Europe/Copenhagen")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frossen_tid")]
# With no registrations, H1 2025 seen on 14 August has these indicators bagud (the counts).
BAGUDE_MAAL = ["1", "7", "9", "10", "11", "12", "13"]


@pytest.fixture
def frossen_tid():
    with time_machine.travel(datetime(2025, 8, 14, 10, 0, tzinfo=KBH), tick=False):
        yield


@pytest.fixture
def anne(administrator):
    administrator.first_name, administrator.last_name = "Anne", "Hansen"
    administrator.save()
    return administrator


def kor(*args) -> str:
    ud = StringIO()
    call_command("godkend", *map(str, args), stdout=ud)
    return ud.getvalue()


def fil(tmp_path, indhold, navn="forklaringer.json") -> str:
    sti = tmp_path / navn
    sti.write_text(indhold if isinstance(indhold, str) else json.dumps(indhold),
                   encoding="utf-8")
    return str(sti)


def test_approves_with_the_files_explanations(kontrakt_2025, anne, tmp_path):
    tekster = {n: f"Mål {n} er bagud; vi arbejder på det." for n in BAGUDE_MAAL}
    tekster["M7.korte"] = "Færre korte forløb end ventet: kampagne i august."

    ud = kor("--aar", 2025, "--periode", "H1", "--bruger", "administrator",
             "--kommentar", "Godkendt på KKR-mødet", "--forklaringer", fil(tmp_path, tekster))

    assert ud.splitlines() == [
        "8 forklaringer er gemt.",
        "1. halvår 2025 for Erhvervshus Sjælland er godkendt: Godkendt 14. august 2025 af Anne "
        "Hansen, version 1.",
    ]
    g = seneste_godkendelse(kontrakt_2025, "H1")
    assert (g.version, g.kommentar, g.godkendt_af) == (1, "Godkendt på KKR-mødet", anne)
    gemt = forklaringer(kontrakt_2025, "H1")
    assert gemt[(7, "M7.korte")].tekst == "Færre korte forløb end ventet: kampagne i august."
    assert gemt[(7, None)].opdateret_af == anne
    assert Forklaring.history.filter(history_user=anne).count() == 8  # as in the browser
    assert godkendt_rapport(g).forklaring(7, "M7.korte").startswith("Færre korte")


def test_names_each_indicator_without_an_explanation_and_saves_nothing(kontrakt_2025, anne,
                                                                        tmp_path):
    tekster = {n: "Forklaret." for n in BAGUDE_MAAL if n not in ("7", "12")}
    with pytest.raises(CommandError) as fejl:
        kor("--aar", 2025, "--periode", "H1", "--bruger", "administrator",
            "--forklaringer", fil(tmp_path, tekster))
    assert fejl.value.returncode == 2
    besked = str(fejl.value)
    assert besked.startswith("1. halvår 2025 kan ikke godkendes. Ingen forklaringer er gemt.")
    for noegle in ("M7.korte", "M7.handlingsplaner", "M7.vaekstplaner", "M7.laengere",
                   "M7.i_alt", "M12.hovedstaden"):
        assert f"  {noegle} (Bagud) mangler en forklaring\n" in besked
    assert "M1.ivaerksaettere" not in besked
    assert not Forklaring.objects.exists() and not Godkendelse.objects.exists()


def test_a_second_approval_is_version_2_with_the_explanations_already_written(kontrakt_2025,
                                                                              anne, tmp_path):
    sti = fil(tmp_path, {n: "Forklaret." for n in BAGUDE_MAAL})
    kor("--aar", 2025, "--periode", "H1", "--bruger", "administrator", "--forklaringer", sti)
    ud = kor("--aar", 2025, "--periode", "h1", "--bruger", "administrator")
    assert ud.endswith("version 2.\n")
    assert list(Godkendelse.objects.values_list("version", flat=True)) == [2, 1]


def test_an_empty_text_in_the_file_removes_the_explanation(kontrakt_2025, anne, tmp_path):
    kor("--aar", 2025, "--periode", "H1", "--bruger", "administrator",
        "--forklaringer", fil(tmp_path, {n: "Forklaret." for n in BAGUDE_MAAL}))
    with pytest.raises(CommandError, match="M9.ai_tjek \\(Bagud\\) mangler en forklaring"):
        kor("--aar", 2025, "--periode", "H1", "--bruger", "administrator",
            "--forklaringer", fil(tmp_path, {"9": ""}, "tom.json"))
    assert (9, None) in forklaringer(kontrakt_2025, "H1")  # refused: the removal is undone too


@pytest.mark.parametrize("args, besked", [
    (["--periode", "H1", "--bruger", "administrator"], "Angiv året med --aar"),
    (["--aar", 2031, "--periode", "H1", "--bruger", "administrator"],
     "Der er ingen resultatkontrakt for 2031 (kendte år: 2025)."),
    (["--aar", 2025, "--periode", "2025-06-30", "--bruger", "administrator"],
     "Ukendt periode '2025-06-30'. Brug --periode H1 eller --periode helaar; en status pr. dato "
     "kan ikke godkendes."),
    (["--aar", 2025, "--periode", "H1"], "Angiv med --bruger, hvem der godkender"),
    (["--aar", 2025, "--periode", "H1", "--bruger", "ingen"], "Brugeren 'ingen' findes ikke."),
    (["--aar", 2025, "--periode", "H1", "--bruger", "registrant"],
     "Brugeren 'registrant' må ikke godkende rapporter; det kræver rollen Administrator."),
    (["--aar", 2025, "--periode", "H1", "--bruger", "administrator", "--erhvervshus", "Fyn"],
     "Der er ingen resultatkontrakt for Fyn for 2025"),
    (["--aar", 2025, "--periode", "H1", "--bruger", "administrator", "--forklaringer",
      "findes-ikke.json"], "Filen findes-ikke.json findes ikke."),
])
def test_bad_arguments_are_answered_in_danish(kontrakt_2025, anne, registrant, args, besked):
    with pytest.raises(CommandError) as fejl:
        kor(*args)
    assert fejl.value.returncode == 2
    assert besked in str(fejl.value)
    assert not Godkendelse.objects.exists()


@pytest.mark.parametrize("indhold, besked", [
    ('{"7": "tekst",', "er ikke gyldig JSON (linje 1, kolonne 15)"),
    ('["7", "tekst"]', "skal være et JSON-objekt af målnumre eller indikatornøgler og tekster"),
    ('{"7": 12}', "Forklaringen til '7' skal være en tekst."),
    ('{"7": "ok", "M99.noget": "x", "16": "y"}',
     "'M99.noget' er hverken et mål eller en indikator i kontrakten for 2025."),
])
def test_a_bad_file_is_refused_and_nothing_is_saved(kontrakt_2025, anne, tmp_path, indhold,
                                                   besked):
    with pytest.raises(CommandError) as fejl:
        kor("--aar", 2025, "--periode", "H1", "--bruger", "administrator",
            "--forklaringer", fil(tmp_path, indhold))
    assert fejl.value.returncode == 2
    assert besked in str(fejl.value)
    assert not Forklaring.objects.exists() and not Godkendelse.objects.exists()


def test_the_help_says_what_is_refused():
    from rapporter.management.commands.godkend import Command

    assert "uden forklaring" in Command.help and "Administrator" in Command.help
