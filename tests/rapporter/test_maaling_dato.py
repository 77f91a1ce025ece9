"""The måling form's date rule is the model's (``Maaling.clean``), shown next to the date field:
the form keeps no copy of it. A contract year before 2015 (which the rule refuses) is said above
the form, since the year is no field of it."""

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine

from maal.models import Maaling
from maal.services import kontrakt_kopier

IDAG = datetime(2025, 7, 15, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
MAALING = "/status/maaling/ny/"


def synlig(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def felt(svar, navn: str) -> str:
    """The visible text of one field's block (label, input, help, errors)."""
    html = re.search(rf'<div class="felt[^"]*">\s*<label for="id_{navn}".*?</div>',
                     svar.content.decode(), re.S)
    return synlig(html.group())


def fejlboks(svar) -> str:
    html = re.search(r'<div class="fejlboks".*?</div>', svar.content.decode(), re.S)
    return synlig(html.group()) if html else ""


def indtast(client, dato, aar=2025):
    return client.post(f"{MAALING}?aar={aar}&periode=H1", {
        "noegle": "M3.nps", "vaerdi": "68", "dato": dato, "kilde": "ERST",
    })


@pytest.fixture
def admin_klient(client, administrator, kontrakt_2025):
    client.force_login(administrator)
    return client


@time_machine.travel(IDAG, tick=False)
@pytest.mark.parametrize(("dato", "besked"), [
    ("2024-12-31", "Datoen skal ligge i kontraktåret 2025; ellers tæller den ikke med."),
    ("2025-07-16", "En måling kan ikke dateres i fremtiden: datoen er den dag, tallet er "
                   "opgjort."),
    ("2026-01-10", "En måling dateret efter kontraktåret 2025 er et endeligt tal for året; den "
                   "kan ikke dateres i fremtiden."),
])
def test_a_date_outside_the_rule_is_refused_next_to_the_date_field(admin_klient, dato, besked):
    svar = indtast(admin_klient, dato)
    assert svar.status_code == 200
    assert besked in felt(svar, "dato")
    assert besked not in fejlboks(svar)
    assert synlig(svar.content.decode()).count(besked) == 1
    assert not Maaling.objects.exists()


@time_machine.travel(IDAG, tick=False)
@pytest.mark.parametrize("dato", ["2025-01-01", "2025-07-15"])
def test_a_date_from_1_january_up_to_today_is_saved(admin_klient, dato):
    assert indtast(admin_klient, dato).status_code == 302
    assert str(Maaling.objects.get().dato) == dato


@time_machine.travel(IDAG, tick=False)
def test_a_contract_year_before_2015_is_refused_above_the_form(admin_klient, kontrakt_2025):
    kontrakt_kopier(kilde=kontrakt_2025, aar=2014)
    svar = indtast(admin_klient, "2014-05-01", aar=2014)
    assert svar.status_code == 200
    assert "Målinger tages fra 2015; 2014 ligger før." in fejlboks(svar)
    assert not Maaling.objects.exists()
