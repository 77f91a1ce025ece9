"""The JSON report and approval (KONTRAKT-2025.md, "The machine-readable report"): ``null``
before; the approved figures with who approved which version after, whatever is changed later;
``--aktuel`` today's figures with the records changed since the approval that touch the period
and the indicators whose figure moved; a status date always live. The status page's JSON
download follows the same rule (``?aktuel=1``)."""

import json
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from forloeb import services
from rapporter.godkendelse import forklaring_gem, godkend
from tests import factories as f

KBH = ZoneInfo("Europe/Copenhagen")
GODKENDT = datetime(2025, 8, 14, 10, 0, tzinfo=KBH)
SENERE = datetime(2025, 9, 2, 13, 30, tzinfo=KBH)
pytestmark = pytest.mark.django_db


def rapport(*args) -> dict:
    ud = StringIO()
    call_command("rapport", "--aar", "2025", "--format", "json", *args, stdout=ud)
    return json.loads(ud.getvalue())


def _eid(objekt: str) -> str:
    return next((eid for eid in ("K1", "K2", "K3") if eid in objekt), objekt)


def indikator(doc, noegle):
    return next(i for i in doc["indikatorer"] if i["noegle"] == noegle)


@pytest.fixture
def anne(administrator):
    administrator.first_name, administrator.last_name = "Anne", "Hansen"
    administrator.save()
    return administrator


@pytest.fixture
def godkendt_h1(kontrakt_2025, anne):
    """Three korte forløb gennemført in H1, H1 approved on 14 August 2025, and on 2 September
    one of them deleted and another's slutdato moved into H2."""
    with time_machine.travel(datetime(2025, 7, 1, 9, 0, tzinfo=KBH), tick=False):
        forloeb = [f.forloeb(ekstern_id=f"K{n}", type="kort", startdato=date(2025, 2, 1),
                             slutdato=date(2025, 3, n)) for n in (1, 2, 3)]
    with time_machine.travel(GODKENDT, tick=False):
        for maal in kontrakt_2025.maal.all():
            forklaring_gem(maal=maal, periode="H1", tekst="Forklaret.", bruger=anne)
        godkend(kontrakt=kontrakt_2025, periode="H1", bruger=anne, kommentar="KKR 14/8",
                idag=GODKENDT.date())
    with time_machine.travel(SENERE, tick=False):
        services.slet(forloeb[0], bruger=anne, aarsag="Dublet af K2")
        services.opdater(forloeb[1], bruger=anne, aarsag="Afsluttet senere",
                         slutdato=date(2025, 7, 5))
    return forloeb


def test_a_period_never_approved_has_godkendelse_null(kontrakt_2025):
    with time_machine.travel(GODKENDT, tick=False):
        doc = rapport("--periode", "H1")
    assert doc["godkendelse"] is None and doc["aktuel"] is True
    assert "aendringer_siden_godkendelse" not in doc


def test_an_approved_period_gives_the_approved_figures(godkendt_h1):
    with time_machine.travel(datetime(2025, 9, 3, 8, 0, tzinfo=KBH), tick=False):
        doc = rapport("--periode", "H1")
    assert doc["godkendelse"] == {
        "version": 1, "godkendt_af": "Anne Hansen", "tidspunkt": "2025-08-14T10:00:00+02:00",
        "kommentar": "KKR 14/8", "tekst": "Godkendt 14. august 2025 af Anne Hansen, version 1",
    }
    assert doc["aktuel"] is False
    assert doc["beregnet"] == "2025-08-14T10:00:00+02:00"
    assert indikator(doc, "M7.korte")["faktisk"] == 3  # as approved, not today's 1
    assert "aendringer_siden_godkendelse" not in doc


def test_aktuel_gives_todays_figures_and_the_changes_since_the_approval(godkendt_h1):
    with time_machine.travel(datetime(2025, 9, 3, 8, 0, tzinfo=KBH), tick=False):
        doc = rapport("--periode", "H1", "--aktuel")
    assert doc["aktuel"] is True and doc["godkendelse"]["version"] == 1
    assert indikator(doc, "M7.korte")["faktisk"] == 1
    aendringer = doc["aendringer_siden_godkendelse"]
    assert aendringer["version"] == 1
    poster = [(p["handling"], _eid(p["objekt"]), p["bruger"], p["aarsag"], p["tidspunkt"])
              for p in aendringer["poster"]]
    assert ("Slettet", "K1", "Anne Hansen", "Dublet af K2", "2025-09-02T13:30:00+02:00") in poster
    assert ("Ændret", "K2", "Anne Hansen", "Afsluttet senere",
            "2025-09-02T13:30:00+02:00") in poster
    # the forløb still in H1, and the approval's own setup before it, are not listed
    assert len(poster) == 2
    aendret = next(p for p in aendringer["poster"] if p["handling"] == "Ændret")
    assert aendret["url"]  # a link to the record
    flyttet = {i["noegle"]: i for i in aendringer["indikatorer"]}
    assert flyttet["M7.korte"]["godkendt"] == {"faktisk": 3, "status": "bagud"}
    assert flyttet["M7.korte"]["aktuel"] == {"faktisk": 1, "status": "bagud"}
    assert "M9.ai_tjek" not in flyttet


def test_a_status_date_is_never_approved_and_always_live(godkendt_h1):
    with time_machine.travel(datetime(2025, 9, 3, 8, 0, tzinfo=KBH), tick=False):
        doc = rapport("--periode", "2025-06-30")
        aktuel = rapport("--periode", "2025-06-30", "--aktuel")
    assert doc["godkendelse"] is None and doc["aktuel"] is True
    assert indikator(doc, "M7.korte")["faktisk"] == 1
    assert aktuel["aendringer_siden_godkendelse"] is None


def test_the_status_pages_json_follows_the_same_rule(godkendt_h1, laeser_klient):
    url = reverse("rapporter:json")
    with time_machine.travel(datetime(2025, 9, 3, 8, 0, tzinfo=KBH), tick=False):
        godkendt = json.loads(laeser_klient.get(url, {"aar": 2025, "periode": "H1"}).content)
        aktuel = json.loads(
            laeser_klient.get(url, {"aar": 2025, "periode": "H1", "aktuel": "1"}).content
        )
    assert godkendt["godkendelse"]["version"] == 1
    assert indikator(godkendt, "M7.korte")["faktisk"] == 3
    assert indikator(aktuel, "M7.korte")["faktisk"] == 1
    assert aktuel["aendringer_siden_godkendelse"]["indikatorer"][0]["noegle"] == "M7.korte"


def test_the_help_mentions_aktuel():
    from rapporter.management.commands.rapport import Command

    assert "--aktuel viser dagens tal" in Command.help
