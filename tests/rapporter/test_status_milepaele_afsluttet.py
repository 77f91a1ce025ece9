"""A finished year's status page tells the milestones' tally once: the milestones that wait for
the final assessment are said in the »Milepæle:« sentence, not again after it."""

import re
from datetime import date, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine

from maal.models import Indikator
from maal.services import milepael_status_create

EFTER_AARET = datetime(2026, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
I_AARET = datetime(2025, 7, 15, 10, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


def note(svar) -> str:
    """The visible text of the note under the summary strip."""
    html = re.search(r'<p class="opsummering-note">(.*?)</p>', svar.content.decode(), re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html.group(1))).split())


def side(svar) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", svar.content.decode())).split())


@pytest.fixture
def femern_i_gang(kontrakt_2025):
    milepael_status_create(indikator=Indikator.objects.get(noegle="M15.femern"),
                           status="i_gang", dato=date(2025, 3, 1), fortaelling="Partner.")


@time_machine.travel(EFTER_AARET, tick=False)
def test_the_waiting_milestones_are_said_once(femern_i_gang, laeser_klient):
    svar = laeser_klient.get("/status/", {"aar": 2025, "periode": "helaar"})
    assert note(svar).startswith(
        "Milepæle: 5 afventer den endelige vurdering af året. Året er afsluttet: hver indikator "
        "med måltal er opfyldt eller ikke opfyldt, undtagen 13, der afventer tal.")
    assert side(svar).count("5 afventer") == 1
    assert side(svar).count("afventer den endelige vurdering af året") == 1


@time_machine.travel(EFTER_AARET, tick=False)
def test_after_one_final_assessment_the_tally_names_it_and_the_four_waiting(femern_i_gang,
                                                                           laeser_klient):
    milepael_status_create(indikator=Indikator.objects.get(noegle="M15.femern"),
                           status="opfyldt", endelig=True, dato=date(2026, 2, 15),
                           fortaelling="Årets endelige vurdering.")
    svar = laeser_klient.get("/status/", {"aar": 2025, "periode": "helaar"})
    assert note(svar).startswith(
        "Milepæle: 1 opfyldt, 4 afventer den endelige vurdering af året. Året er afsluttet:")
    assert side(svar).count("afventer den endelige vurdering af året") == 1


@time_machine.travel(I_AARET, tick=False)
def test_during_the_year_the_tally_has_no_final_assessment_to_wait_for(femern_i_gang,
                                                                      laeser_klient):
    svar = laeser_klient.get("/status/", {"aar": 2025, "periode": "H1"})
    assert note(svar).startswith("Milepæle: 1 i gang, 4 ikke startet. Antal holdes op mod")
