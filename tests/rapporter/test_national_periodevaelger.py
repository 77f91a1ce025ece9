"""The national page picks its year and period with the status pages' own period picker
(``rapporter/_periodevaelger.html``): every year any house has a contract for, 1. halvår, hele
året and a status date; no house picker, since the page compares every house."""

import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from maal.models import Erhvervshus
from maal.services import kontrakt_kopier
from tests.rapporter.test_national import kopier_til
from tests.rapporter.test_views_status import tekst

IDAG = datetime(2025, 7, 15, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
NATIONAL = "/status/national/"


def vaelger(svar) -> str:
    return re.search(r'<div class="periodevaelger ikke-print">.*?</form>',
                     svar.content.decode(), re.S).group()


def valgt(html: str) -> list[str]:
    """The visible text of the segments marked as chosen."""
    return [tekst(a) for a in re.findall(r'<a [^>]*aria-current="true"[^>]*>.*?</a>', html)]


@pytest.fixture
def to_huse_to_aar(kontrakt_2025):
    """Sjælland with contracts for 2025 and 2026, Hovedstaden with one for 2025."""
    kontrakt_kopier(kilde=kontrakt_2025, aar=2026)
    kopier_til(kontrakt_2025, Erhvervshus.objects.get(navn="Erhvervshus Hovedstaden"),
               maalvaerdi=Decimal(385))


@pytest.fixture
def klient(client, kkr_laeser, to_huse_to_aar):
    client.force_login(kkr_laeser)
    return client


@time_machine.travel(IDAG, tick=False)
def test_the_national_page_offers_the_years_and_periods_and_no_house(klient):
    svar = klient.get(NATIONAL, {"aar": 2025, "periode": "H1"})
    assert svar.status_code == 200
    html = vaelger(svar)
    assert tekst(html).startswith("Kontraktår 2025 2026 Periode 1. halvår Hele året "
                                  "Status pr. dato Vis")
    assert valgt(html) == ["2025", "1. halvår"]
    assert "Erhvervshus" not in tekst(html) and "hus=" not in html
    links = re.findall(r'href="([^"]+)"', html)
    assert links == ["?aar=2025", "?aar=2026", "?aar=2025&amp;periode=H1",
                     "?aar=2025&amp;periode=helaar"]
    assert 'name="aar" value="2025"' in html and 'min="2025-01-01" max="2025-12-31"' in html


@time_machine.travel(IDAG, tick=False)
def test_a_status_date_is_kept_in_the_date_field(klient):
    html = vaelger(klient.get(NATIONAL, {"aar": 2025, "periode": "2025-03-01"}))
    assert valgt(html) == ["2025"]
    assert 'name="periode" min="2025-01-01" max="2025-12-31"\n             value="2025-03-01"' \
        in html


@time_machine.travel(IDAG, tick=False)
def test_an_unknown_period_is_refused_and_the_date_field_marked(klient):
    svar = klient.get(NATIONAL, {"aar": 2025, "periode": "H3"})
    assert svar.status_code == 400
    assert "Ukendt periode" in tekst(svar.content.decode())
    assert 'aria-invalid="true" aria-describedby="periode-fejl"' in vaelger(svar)


@time_machine.travel(IDAG, tick=False)
def test_the_status_page_of_two_houses_still_offers_and_keeps_the_house(client, superbruger,
                                                                        to_huse_to_aar):
    """A superuser sees every house's contracts (KKR-læsere only their own house's)."""
    client.force_login(superbruger)
    hovedstaden = Erhvervshus.objects.get(navn="Erhvervshus Hovedstaden").pk
    html = vaelger(client.get("/status/", {"hus": hovedstaden, "aar": 2025, "periode": "H1"}))
    assert valgt(html) == ["Erhvervshus Hovedstaden", "1. halvår"]
    assert f'href="?hus={hovedstaden}&amp;aar=2025&amp;periode=helaar"' in html
    assert f'name="hus" value="{hovedstaden}"' in html
