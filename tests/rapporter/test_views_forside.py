"""The front page (kontrakt/views.py) sends each kind of user to where they work, with the
headline status of the current period for those who may read it."""

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import time_machine

IDAG = datetime(2025, 7, 15, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))


def tekst(svar) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", svar.content.decode())).split())


def kort(svar) -> list[str]:
    """The headings of the front page's cards, in order."""
    return re.findall(r'<a class="kort" href="[^"]+">\s*<h2>([^<]+)</h2>', svar.content.decode())


def test_kkr_laeser_goes_straight_to_status(client, kkr_laeser, kontrakt_2025):
    client.force_login(kkr_laeser)
    svar = client.get("/")
    assert svar.status_code == 302 and svar["Location"] == "/status/"


@time_machine.travel(IDAG, tick=False)
def test_registrant_sees_registration_first_and_the_headline_status(
    client, registrant, kontrakt_2025
):
    client.force_login(registrant)
    svar = client.get("/")
    assert kort(svar) == ["Registrér", "Status på resultatkontrakten"]
    # nothing registered yet: the 11 counts with a target and the dækning are behind; the 10
    # entered values, both shares (empty denominator) and by/land await figures
    assert "Status pr. 15. juli 2025 0 ▲ På sporet 0 ► Tæt på 12 ▼ Bagud 13 … Afventer " \
           "1 – Uden måltal" in tekst(svar)


def test_administrator_also_gets_the_admin(client, administrator, kontrakt_2025):
    client.force_login(administrator)
    assert kort(client.get("/")) == ["Registrér", "Status på resultatkontrakten", "Administration"]


def test_a_user_without_a_role_is_told_so(client, udenforstaaende):
    client.force_login(udenforstaaende)
    svar = client.get("/")
    assert kort(svar) == []
    assert "Din bruger har endnu ingen rolle." in tekst(svar)


def test_anonymous_is_sent_to_login(client):
    assert client.get("/")["Location"] == "/login/?next=/"
