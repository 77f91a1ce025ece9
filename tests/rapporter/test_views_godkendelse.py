"""The end-of-period routine in the browser's pages: explanations written on the goal page and
on one page for all goals, the approval refused or given, and what KKR then sees on the status
and goal pages (the approved version by default, today's on request, what changed since).

Today is frozen at 15 August 2025: H1 is over and is approved on that day.
"""

import re
from datetime import date, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forloeb import services
from maal.models import Maal
from rapporter import kvalitet
from rapporter.godkendelse import forklaring_gem, godkend
from rapporter.models import Forklaring, Godkendelse
from tests import factories as f

KBH = ZoneInfo("Europe/Copenhagen")
IDAG = datetime(2025, 8, 15, 10, 0, tzinfo=KBH)
H1 = {"aar": 2025, "periode": "H1"}
STATUS, FORKLARINGER, GODKEND = "/status/", "/status/forklaringer/", "/status/godkend/"
KORTE = "Korte vejledningsforløb gennemført M7.korte ≥ 880 "  # the row up to the actual figure

pytestmark = pytest.mark.usefixtures("frossen_tid")


@pytest.fixture
def frossen_tid():
    with time_machine.travel(IDAG, tick=False):
        yield


def tekst(html) -> str:
    """What a reader sees of some HTML: the text without tags, whitespace collapsed."""
    if not isinstance(html, str):
        html = html.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    ord_ = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return ord_.replace(" :", ":").replace(" .", ".")


def raekke(svar, noegle: str, i_tabel: str = "status-tabel") -> str:
    """The visible text of the first row of a table of class ``i_tabel`` that shows ``noegle``."""
    html = svar.content.decode()
    for tabel in re.findall(rf'<table class="tabel {i_tabel}.*?</table>', html, flags=re.S):
        for tr in re.findall(r"<tr.*?</tr>", tabel, flags=re.S):
            if f">{noegle}<" in tr:
                return tekst(tr)
    raise AssertionError(f"Ingen række for {noegle}")


@pytest.fixture
def datasaet(kontrakt_2025):
    """Three short forløb finished in H1 2025, one finished after it."""
    forloeb = [f.forloeb(type="kort", startdato=date(2025, 1, 2), slutdato=slut)
               for slut in (date(2025, 1, 31), date(2025, 3, 15), date(2025, 6, 30))]
    f.forloeb(type="kort", startdato=date(2025, 1, 2), slutdato=date(2025, 7, 1))
    kontrakt_2025.forloeb = forloeb
    return kontrakt_2025


def forklar_alle(kontrakt, bruger):
    """A goal explanation on every goal: nothing stands in the way of approval."""
    for maal in kontrakt.maal.all():
        forklaring_gem(maal=maal, periode="H1", tekst=f"Status for mål {maal.nummer}.",
                       bruger=bruger)


@pytest.fixture
def godkendt(datasaet, administrator):
    forklar_alle(datasaet, administrator)
    forklaring_gem(maal=Maal.objects.get(nummer=7), periode="H1", bruger=administrator,
                   tekst="Korte forløb registreres først efter sommerferien.")
    godkend(kontrakt=datasaet, periode="H1", bruger=administrator, idag=IDAG.date(),
            kommentar="Drøftet på KKR-mødet 14. august.")
    return datasaet


@pytest.fixture
def admin_klient(client, administrator):
    client.force_login(administrator)
    return client


# --- Explanations ------------------------------------------------------------------------------


def test_explanation_written_on_the_goal_page_shows_there_and_on_the_status_page(
    datasaet, admin_klient
):
    svar = admin_klient.get("/status/maal/7/", H1)
    assert "Skriv en forklaring" in tekst(svar)
    assert 'name="maal-7"' in svar.content.decode()

    svar = admin_klient.post(f"{FORKLARINGER}?aar=2025&periode=H1",
                             {"maal-7": "Korte forløb kommer efter sommeren.", "tilbage": "7"})
    assert svar.status_code == 302
    assert svar["Location"] == "/status/maal/7/?aar=2025&periode=H1#forklaring"

    side = tekst(admin_klient.get("/status/maal/7/", H1))
    assert "Forklaring til målet, 1. halvår 2025 Korte forløb kommer efter sommeren." in side
    assert "Skrevet af Administrator, 15. august 2025 kl. 10:00" in side
    status = admin_klient.get(STATUS, H1).content.decode()
    detaljer = re.search(r'<details class="forklaring">.*?</details>', status, flags=re.S).group()
    assert tekst(detaljer) == "Forklaring til mål 7 Korte forløb kommer efter sommeren."


def test_an_indicator_explanation_and_the_history_of_earlier_texts(datasaet, administrator,
                                                                   admin_klient):
    url = f"{FORKLARINGER}?aar=2025&periode=H1"
    admin_klient.post(url, {"indikator-M7-korte": "Første udgave.", "tilbage": "7"})
    with time_machine.travel(datetime(2025, 8, 16, 9, 30, tzinfo=KBH), tick=False):
        admin_klient.force_login(administrator)  # a new day, a new session
        svar = admin_klient.post(url, {"indikator-M7-korte": "Anden udgave.", "tilbage": "7"})
        assert svar["Location"].endswith("#forklaring-M7-korte")
        side = admin_klient.get("/status/maal/7/", H1).content.decode()
    kort = tekst(re.search(r'<section class="forklaring-boks" id="forklaring-M7-korte"'
                           r'.*?</section>', side, flags=re.S).group())
    assert kort.startswith("Forklaring til indikatoren, 1. halvår 2025 Anden udgave.")
    assert ("Historik (2 versioner) 16. august 2025 kl. 09:30 · Administrator · ændret "
            "(gældende) Anden udgave. 15. august 2025 kl. 10:00 · Administrator · skrevet "
            "Første udgave.") in kort
    status = tekst(admin_klient.get(STATUS, H1))
    assert "Korte vejledningsforløb gennemført M7.korte: Anden udgave." in status


def test_explanations_page_marks_what_needs_one_and_keeps_what_was_not_sent(
    datasaet, administrator, admin_klient
):
    forklaring_gem(maal=Maal.objects.get(nummer=9), periode="H1", tekst="AI-tjek i gang.",
                   bruger=administrator)
    svar = admin_klient.get(FORKLARINGER, H1)
    assert svar.status_code == 200
    assert "Korte vejledningsforløb gennemført M7.korte 3 ▼ Bagud ⚠ Mangler en forklaring" \
        in raekke(svar, "M7.korte")
    assert "Målets forklaring" in raekke(svar, "M9.ai_tjek")
    assert "M7.korte Korte vejledningsforløb gennemført ▼ Bagud mangler en forklaring" \
        in tekst(svar)

    # Only maal-7 sent: goal 9's text stays; an emptied field removes.
    svar = admin_klient.post(f"{FORKLARINGER}?aar=2025&periode=H1", {"maal-7": "Efter sommer."},
                             follow=True)
    assert "1 forklaring til 1. halvår 2025 er gemt." in tekst(svar)
    assert set(Forklaring.objects.values_list("maal__nummer", "tekst")) == {
        (7, "Efter sommer."), (9, "AI-tjek i gang.")
    }
    assert "M7.korte" not in tekst(re.search(r'<div class="advarsel".*?</div>',
                                             svar.content.decode(), flags=re.S).group())
    admin_klient.post(f"{FORKLARINGER}?aar=2025&periode=H1", {"maal-9": ""})
    assert list(Forklaring.objects.values_list("maal__nummer", flat=True)) == [7]


def test_a_refused_text_saves_nothing_and_keeps_what_was_written(datasaet, admin_klient):
    svar = admin_klient.post(f"{FORKLARINGER}?aar=2025&periode=H1",
                             {"maal-7": "Gyldig tekst.", "maal-9": "x" * 4001})
    assert svar.status_code == 422
    side = tekst(svar)
    assert "Forklaringerne er ikke gemt: ret det markerede" in side
    assert "Forklaring til mål 9: Denne værdi må højst have 4000 tegn (den har 4001)." in side
    assert "Gyldig tekst." in svar.content.decode()  # kept in its field
    assert not Forklaring.objects.exists()


def test_a_status_date_has_no_explanations(datasaet, admin_klient):
    side = tekst(admin_klient.get("/status/maal/7/", {"aar": 2025, "periode": "2025-05-31"}))
    assert "Forklaringer skrives til 1. halvår og hele året" in side
    svar = admin_klient.get(FORKLARINGER, {"aar": 2025, "periode": "2025-05-31"})
    assert svar.status_code == 400
    assert "en status pr. dato bliver hverken forklaret eller godkendt" in tekst(svar)


# --- Approval ----------------------------------------------------------------------------------


def test_approval_is_refused_naming_each_indicator_and_nothing_is_saved(datasaet, admin_klient):
    svar = admin_klient.get(GODKEND, H1)
    assert svar.status_code == 200
    side = tekst(svar)
    assert "Godkend 1. halvår 2025" in side
    assert "M7.korte Korte vejledningsforløb gennemført ▼ Bagud mangler en forklaring" in side
    assert f'href="{FORKLARINGER}?aar=2025&amp;periode=H1#id_maal-7"' in svar.content.decode()

    svar = admin_klient.post(f"{GODKEND}?aar=2025&periode=H1", {"kommentar": "Klar"})
    assert svar.status_code == 422
    fejl = tekst(re.search(r'<div class="fejlboks.*?</div>', svar.content.decode(),
                           flags=re.S).group())
    assert fejl.startswith("1. halvår 2025 er ikke godkendt")
    assert "M7.korte (Bagud) mangler en forklaring" in fejl
    assert "M9.ai_tjek (Bagud) mangler en forklaring" in fejl
    assert "Intet er gemt." in fejl
    assert not Godkendelse.objects.exists()


def test_approval_succeeds_and_the_status_page_shows_the_mark(
    datasaet, administrator, admin_klient
):
    forklar_alle(datasaet, administrator)
    svar = admin_klient.post(f"{GODKEND}?aar=2025&periode=H1",
                             {"kommentar": "Drøftet på KKR-mødet."})
    assert svar.status_code == 302
    assert svar["Location"] == "/status/?aar=2025&periode=H1"
    side = tekst(admin_klient.get(svar["Location"]))
    assert "1. halvår 2025 er godkendt (version 1). KKR ser nu den godkendte version." in side
    assert "Godkendt 15. august 2025 af Administrator, version 1 Drøftet på KKR-mødet." in side
    assert "Version 1" in tekst(admin_klient.get(GODKEND, H1))  # listed as an earlier version


def test_the_status_page_leads_an_administrator_to_the_routine(datasaet, admin_klient):
    html = admin_klient.get(STATUS, H1).content.decode()
    assert f'href="{FORKLARINGER}?aar=2025&amp;periode=H1">Forklaringer</a>' in html
    assert f'href="{GODKEND}?aar=2025&amp;periode=H1">Godkend</a>' in html
    # not for a status date, which is neither explained nor approved
    assert f'href="{GODKEND}' not in admin_klient.get(STATUS, {"aar": 2025}).content.decode()


def test_a_finished_year_asks_for_each_milestones_final_assessment(
    datasaet, administrator, client
):
    with time_machine.travel(datetime(2026, 1, 20, 9, 0, tzinfo=KBH), tick=False):
        client.force_login(administrator)
        forklar_alle(datasaet, administrator)
        forklaring_gem(maal=Maal.objects.get(nummer=1), periode="helaar", tekst="Året.",
                       bruger=administrator)
        svar = client.get(GODKEND, {"aar": 2025})  # after the year: helår by default
        html = svar.content.decode()
    assert "Godkend hele året 2025" in tekst(svar)
    assert ("M11.rekrutteringsydelse Ny vejledningsydelse om rekruttering og fastholdelse "
            "udviklet … Afventer mangler den endelige vurdering") in tekst(svar)
    assert ('href="/status/indikator/M11.rekrutteringsydelse/milepael/?aar=2025&amp;'
            'periode=helaar"') in html


def test_registrant_and_kkr_can_neither_explain_nor_approve(
    datasaet, client, registrant, kkr_laeser
):
    for bruger in (registrant, kkr_laeser):
        client.force_login(bruger)
        assert client.get(FORKLARINGER, H1).status_code == 403
        assert client.post(f"{FORKLARINGER}?aar=2025&periode=H1", {"maal-7": "x"}).status_code \
            == 403
        assert client.get(GODKEND, H1).status_code == 403
        assert client.post(f"{GODKEND}?aar=2025&periode=H1").status_code == 403
        side = client.get("/status/maal/7/", H1).content.decode()
        assert 'name="maal-7"' not in side and "Skriv en forklaring" not in side
        assert f'href="{GODKEND}' not in client.get(STATUS, H1).content.decode()
    assert not Forklaring.objects.exists() and not Godkendelse.objects.exists()


# --- What KKR sees -----------------------------------------------------------------------------


def test_kkr_sees_the_approved_figures_after_a_later_delete(godkendt, administrator,
                                                            laeser_klient):
    services.slet(godkendt.forloeb[0], bruger=administrator, aarsag="Dublet af et andet forløb")
    svar = laeser_klient.get(STATUS, H1)
    side = tekst(svar)
    assert ("Godkendt 15. august 2025 af Administrator, version 1 "
            "Drøftet på KKR-mødet 14. august.") in side
    assert "Vis dagens tal og det, der er ændret siden godkendelsen" in side
    assert raekke(svar, "M7.korte").startswith(KORTE + "3 ")
    assert "Igangværende forløb" not in side  # today's count is not part of the approval
    # The approved figures were computed when approved, whatever the data is now.
    assert "Beregnet" in side and "ud fra data, der ikke er ændret siden" not in side
    detaljer = re.findall(r'<details class="forklaring">.*?</details>', svar.content.decode(),
                          flags=re.S)
    assert "Korte forløb registreres først efter sommerferien." in tekst(detaljer[6])


def test_todays_figures_list_the_changes_since_approval(godkendt, administrator, laeser_klient):
    flyttet = godkendt.forloeb[1]
    services.opdater(flyttet, slutdato=date(2025, 7, 2), bruger=administrator,
                     aarsag="Forløbet sluttede først i juli")
    svar = laeser_klient.get(STATUS, {**H1, "aktuel": 1})
    side = tekst(svar)
    assert "Dagens tal: ikke de godkendte" in side
    assert ("1. halvår 2025 blev godkendt 15. august 2025 af Administrator, version 1 "
            "(“Drøftet på KKR-mødet 14. august.”).") in side
    assert raekke(svar, "M7.korte").startswith(KORTE + "2 ")
    # per indicator: approved beside today's
    assert raekke(svar, "M7.korte", "flyttede") == (
        "Korte vejledningsforløb gennemført M7.korte 3 ▼ Bagud 2 ▼ Bagud"
    )
    aendring = tekst(re.search(r'<table class="tabel aendringsliste">.*?</table>',
                               svar.content.decode(), flags=re.S).group())
    assert "Ændret: forløb" in aendring and flyttet.ekstern_id in aendring
    assert "Administrator" in aendring and "Forløbet sluttede først i juli" in aendring
    assert "30-06-2025" in aendring or "30. juni 2025" in aendring  # from
    # the downloads give what the page shows
    assert '/status/json/?aar=2025&amp;periode=H1&amp;aktuel=1"' in svar.content.decode()
    # and back to the approved version
    assert 'href="?aar=2025&amp;periode=H1">Vis den godkendte version' in svar.content.decode()


def test_a_second_approval_is_version_2_and_version_1_stays_readable(
    godkendt, administrator, kkr_laeser, laeser_klient
):
    services.slet(godkendt.forloeb[0], bruger=administrator, aarsag="Dublet")
    with time_machine.travel(datetime(2025, 8, 20, 9, 0, tzinfo=KBH), tick=False):
        laeser_klient.force_login(kkr_laeser)  # a new day, a new session
        godkend(kontrakt=godkendt, periode="H1", bruger=administrator,
                idag=date(2025, 8, 20), kommentar="Rettet dublet.")
        nyeste = laeser_klient.get(STATUS, H1)
        gammel = laeser_klient.get(STATUS, {**H1, "version": 1})
        ukendt = laeser_klient.get(STATUS, {**H1, "version": 3})
    assert "Godkendt 20. august 2025 af Administrator, version 2 Rettet dublet." in tekst(nyeste)
    assert " 2 " in raekke(nyeste, "M7.korte")
    assert "Godkendt 15. august 2025 af Administrator, version 1" in tekst(gammel)
    assert "der findes en nyere version: version 2" in tekst(gammel)
    assert raekke(gammel, "M7.korte").startswith(KORTE + "3 ")
    assert ("Alle versioner: version 2 (20. august 2025, Administrator) · "
            "version 1 (15. august 2025, Administrator)") in tekst(gammel)
    assert ukendt.status_code == 400
    assert "1. halvår 2025 har ingen godkendt version 3." in tekst(ukendt)


def test_the_goal_page_shows_the_approved_figure_beside_todays(godkendt, administrator,
                                                               laeser_klient):
    services.slet(godkendt.forloeb[0], bruger=administrator, aarsag="Dublet")
    side = tekst(laeser_klient.get("/status/maal/7/", H1))
    assert "1. halvår 2025 er godkendt 15. august 2025 af Administrator, version 1" in side
    assert "Diagrammerne viser dagens tal." in side
    kort = side.split("Korte vejledningsforløb gennemført M7.korte")[1].split("Sådan opgøres")[0]
    assert "Faktisk i dag 2 " in kort
    assert "Godkendt, version 1 3 ▼ Bagud" in kort


def test_a_period_never_approved_and_a_status_date_show_no_mark(datasaet, laeser_klient):
    for params in (H1, {"aar": 2025, "periode": "2025-05-31"}):
        side = tekst(laeser_klient.get(STATUS, params))
        assert "Godkendt" not in side and "Dagens tal" not in side
        assert "Igangværende forløb" in side


def test_the_approved_status_page_makes_a_constant_number_of_queries(
    godkendt, laeser_klient, django_assert_max_num_queries
):
    laeser_klient.get(STATUS, H1)  # session and permissions warmed up like any later visit
    with CaptureQueriesContext(connection) as faa:
        laeser_klient.get(STATUS, H1)
    for _ in range(20):
        f.forloeb(type="handlingsplan", startdato=date(2025, 1, 5), slutdato=date(2025, 4, 1),
                  henvist_til=["Innovationsfonden"])
    # session and user 4, contracts 1, versions 1, snapshot 1, goals 1, data-quality notice:
    # 3 counts and a query per history table
    historik = len(kvalitet._historik_modeller())
    with django_assert_max_num_queries(11 + historik), \
            CaptureQueriesContext(connection) as mange:
        svar = laeser_klient.get(STATUS, H1)
    assert "version 1" in tekst(svar)
    assert len(mange) == len(faa)
