"""The finished-year rules through the pages, the workbook and the milestone form
(KONTRAKT-2025.md, "A maaling" and "Status"): a måling dated after 31 December counts for the
finished helår only; a milepæl in a finished year is afventer until the administrator's final
assessment, which is Opfyldt or Ikke opfyldt, dated 31 December or later up to today."""

import io
import re
from datetime import date, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from maal.models import Indikator, MilepaelStatus
from maal.services import maaling_create, milepael_status_create

KBH = ZoneInfo("Europe/Copenhagen")
EFTER_AARET = datetime(2026, 3, 1, 10, 0, tzinfo=KBH)
I_AARET = datetime(2025, 7, 15, 10, 0, tzinfo=KBH)
STATUS = "/status/"
FEMERN = "/status/indikator/M15.femern/milepael/"


def tekst(svar) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", svar.content.decode())).split())


def raekke(svar, noegle: str) -> str:
    """The visible text of the status table's row of ``noegle``."""
    for tr in re.findall(r"<tr.*?</tr>", svar.content.decode(), flags=re.S):
        if f">{noegle}<" in tr:
            return " ".join(unescape(re.sub(r"<[^>]+>", " ", tr)).split())
    raise AssertionError(f"Ingen række for {noegle}")


def endelig_afkrydset(html: str) -> bool:
    felt = re.search(r'<input[^>]*name="endelig"[^>]*>', html).group()
    return " checked" in felt


def artikel(svar, noegle: str) -> str:
    html = re.search(rf'<article[^>]*id="{noegle}".*?</article>', svar.content.decode(), re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html.group())).split())


@pytest.fixture
def aaret(kontrakt_2025):
    """An interim NPS in May, the final one for 2025 dated 10 February 2026; Femern i gang."""
    hus = kontrakt_2025.erhvervshus
    maaling_create(erhvervshus=hus, noegle="M3.nps", aar=2025, vaerdi=66,
                   dato=date(2025, 5, 15), kilde="ERST, foreløbig")
    maaling_create(erhvervshus=hus, noegle="M3.nps", aar=2025, vaerdi=74,
                   dato=date(2026, 2, 10), kilde="ERST, endelig")
    milepael_status_create(indikator=Indikator.objects.get(noegle="M15.femern"),
                           status="i_gang", dato=date(2025, 3, 1), fortaelling="Partner.")
    return kontrakt_2025


@pytest.fixture
def admin_klient(client, administrator):
    client.force_login(administrator)
    return client


# --- Målinger -----------------------------------------------------------------------------------


@time_machine.travel(EFTER_AARET, tick=False)
def test_a_maaling_dated_after_the_year_counts_for_the_finished_year_only(aaret, laeser_klient):
    helaar = laeser_klient.get(STATUS, {"aar": 2025, "periode": "helaar"})
    assert raekke(helaar, "M3.nps").endswith("≥ 70 74 105,7 % ✔ Opfyldt")
    h1 = laeser_klient.get(STATUS, {"aar": 2025, "periode": "H1"})
    assert raekke(h1, "M3.nps").endswith("≥ 70 66 – 94,3 % ▼ Bagud")
    pr_dato = laeser_klient.get(STATUS, {"aar": 2025, "periode": "2025-12-31"})
    assert raekke(pr_dato, "M3.nps").endswith("≥ 70 66 – 94,3 % ▼ Bagud")


@time_machine.travel(EFTER_AARET, tick=False)
def test_the_goal_page_marks_the_same_maaling_as_the_figure(aaret, laeser_klient):
    side = artikel(laeser_klient.get(reverse("rapporter:maal", args=[3]),
                                     {"aar": 2025, "periode": "helaar"}), "M3.nps")
    assert "10-02-2026 74 ERST, endelig" in side
    assert side.split("10-02-2026 74 ERST, endelig")[1].split("15-05-2025")[0].strip() \
        .endswith("✔ Tæller i perioden")
    assert side.split("15-05-2025 66 ERST, foreløbig")[1].strip().split(" ")[-1] == "erstattet"

    h1 = artikel(laeser_klient.get(reverse("rapporter:maal", args=[3]),
                                   {"aar": 2025, "periode": "H1"}), "M3.nps")
    assert "efter perioden" in h1.split("10-02-2026 74 ERST, endelig")[1].split("15-05-2025")[0]
    assert h1.split("15-05-2025 66 ERST, foreløbig")[1].strip().endswith("✔ Tæller i perioden")


@time_machine.travel(EFTER_AARET, tick=False)
def test_the_workbook_shows_the_same_maaling(aaret, laeser_klient):
    svar = laeser_klient.get(reverse("rapporter:xlsx"), {"aar": 2025, "periode": "helaar"})
    bog = load_workbook(io.BytesIO(b"".join(svar.streaming_content)
                                   if svar.streaming else svar.content))
    raekker = list(bog["Mål 3"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(raekker) if r[:2] == ("Nøgle", "Dato"))
    maalinger = [r[:6] for r in raekker[start + 1:] if r[0] is not None]
    assert [(r[1].date(), r[2], r[5]) for r in maalinger] == [
        (date(2026, 2, 10), 74, "ja"), (date(2025, 5, 15), 66, "nej"),
    ]
    # the period's records carry the final figure too, so the sheet imports on its own
    ark = list(bog["Maalinger"].iter_rows(values_only=True))
    assert sum(1 for r in ark if r and r[0] == "M3.nps") == 2


@time_machine.travel(EFTER_AARET, tick=False)
def test_an_administrator_enters_a_final_figure_after_the_year(aaret, admin_klient):
    svar = admin_klient.post("/status/maaling/ny/?aar=2025&periode=helaar", {
        "noegle": "M3.nps", "vaerdi": "69", "dato": "2026-02-20", "kilde": "ERST, rettet",
    })
    assert svar.status_code == 302
    helaar = admin_klient.get(STATUS, {"aar": 2025, "periode": "helaar"})
    assert raekke(helaar, "M3.nps").endswith("≥ 70 69 98,6 % ✖ Ikke opfyldt")
    fremtid = admin_klient.post("/status/maaling/ny/?aar=2025&periode=helaar", {
        "noegle": "M3.nps", "vaerdi": "69", "dato": "2026-03-02", "kilde": "ERST",
    })
    assert "kan ikke dateres i fremtiden" in tekst(fremtid)


# --- Milepæle -----------------------------------------------------------------------------------


@time_machine.travel(EFTER_AARET, tick=False)
def test_a_milepael_in_a_finished_year_waits_for_the_final_assessment(aaret, laeser_klient):
    helaar = laeser_klient.get(STATUS, {"aar": 2025, "periode": "helaar"})
    assert raekke(helaar, "M15.femern").endswith("… Afventer")
    side = tekst(helaar)
    assert "Milepæle: 5 afventer den endelige vurdering af året." in side
    assert "Året er afsluttet: hver indikator med måltal er opfyldt eller ikke opfyldt, " \
           "undtagen 12, der afventer tal." in side
    # during the year the status set is what counts
    h1 = laeser_klient.get(STATUS, {"aar": 2025, "periode": "H1"})
    assert raekke(h1, "M15.femern").endswith("◐ I gang")
    assert "afventer den endelige vurdering" not in tekst(h1)

    maal = artikel(laeser_klient.get(reverse("rapporter:maal", args=[15]),
                                     {"aar": 2025, "periode": "helaar"}), "M15.femern")
    assert "01-03-2025 ◐ I gang Partner." in maal and "i løbet af året" in maal
    assert "indtil den er givet, afventer milepælen" in maal


@time_machine.travel(EFTER_AARET, tick=False)
@pytest.mark.parametrize(("status", "folge"), [("opfyldt", "✔ Opfyldt"),
                                                ("ikke_opfyldt", "✖ Ikke opfyldt")])
def test_after_the_final_assessment_the_milepael_is_met_or_not(aaret, admin_klient, status,
                                                                folge):
    form = admin_klient.get(FEMERN, {"aar": 2025, "periode": "helaar"}).content.decode()
    assert endelig_afkrydset(form)
    assert 'value="2026-03-01"' in form  # dated today by default
    svar = admin_klient.post(f"{FEMERN}?aar=2025&periode=helaar", {
        "status": status, "endelig": "on", "dato": "2026-02-15",
        "fortaelling": "Årets endelige vurdering.",
    })
    assert svar.status_code == 302, tekst(svar)
    assert MilepaelStatus.objects.get(endelig=True).status == status
    helaar = admin_klient.get(STATUS, {"aar": 2025, "periode": "helaar"})
    assert raekke(helaar, "M15.femern").endswith(folge)
    assert "4 afventer den endelige vurdering af året." in tekst(helaar)
    maal = artikel(admin_klient.get(reverse("rapporter:maal", args=[15]),
                                    {"aar": 2025, "periode": "helaar"}), "M15.femern")
    assert f"15-02-2026 {folge} (endelig vurdering af året) Årets endelige vurdering." in maal
    assert maal.split("(endelig vurdering af året)")[1].split("01-03-2025")[0].strip() \
        .endswith("✔ Gælder i perioden")
    # H1 is untouched by an assessment dated after the year
    h1 = admin_klient.get(STATUS, {"aar": 2025, "periode": "H1"})
    assert raekke(h1, "M15.femern").endswith("◐ I gang")


@time_machine.travel(EFTER_AARET, tick=False)
@pytest.mark.parametrize(
    ("felter", "besked"),
    [
        ({"status": "i_gang", "endelig": "on"},
         "Den endelige vurdering af året er enten »Opfyldt« eller »Ikke opfyldt«."),
        ({"status": "ikke_opfyldt", "dato": "2025-12-01"},
         "»Ikke opfyldt« gives kun som endelig vurdering af året."),
        ({"status": "opfyldt", "endelig": "on", "dato": "2025-12-30"},
         "Den endelige vurdering af året dateres tidligst 31-12-2025, når året er slut."),
        ({"status": "opfyldt", "endelig": "on", "dato": "2026-03-02"},
         "Den endelige vurdering kan ikke dateres i fremtiden."),
        ({"status": "opfyldt", "dato": "2026-02-01"},
         "Datoen skal ligge i kontraktåret 2025"),
    ],
)
def test_a_bad_final_assessment_is_refused_next_to_the_field(aaret, admin_klient, felter,
                                                            besked):
    data = {"dato": "2026-02-01", "fortaelling": "Vurdering.", **felter}
    svar = admin_klient.post(f"{FEMERN}?aar=2025&periode=helaar", data)
    assert svar.status_code == 200
    assert "Status er ikke gemt. Ret det markerede." in tekst(svar)
    assert besked in tekst(svar)
    assert MilepaelStatus.objects.count() == 1


@time_machine.travel(I_AARET, tick=False)
def test_during_the_year_no_final_assessment_is_needed(aaret, admin_klient):
    form = admin_klient.get(FEMERN, {"aar": 2025}).content.decode()
    assert not endelig_afkrydset(form)
    svar = admin_klient.post(f"{FEMERN}?aar=2025", {
        "status": "opfyldt", "dato": "2025-07-01", "fortaelling": "Fast plads i styregruppen.",
    })
    assert svar.status_code == 302
    side = admin_klient.get(STATUS, {"aar": 2025})
    assert raekke(side, "M15.femern").endswith("✔ Opfyldt")
    assert "afventer den endelige vurdering" not in tekst(side)
    # a final assessment cannot be given before the year has ended
    tidligt = admin_klient.post(f"{FEMERN}?aar=2025", {
        "status": "opfyldt", "endelig": "on", "dato": "2025-07-10", "fortaelling": "For tidligt.",
    })
    assert "dateres tidligst 31-12-2025" in tekst(tidligt)


@time_machine.travel(EFTER_AARET, tick=False)
def test_the_workbook_marks_the_final_assessment_as_the_one_that_counts(aaret, laeser_klient):
    def femern_raekker():
        svar = laeser_klient.get(reverse("rapporter:xlsx"), {"aar": 2025, "periode": "helaar"})
        raekker = list(load_workbook(io.BytesIO(svar.content))["Mål 15"].iter_rows(
            values_only=True))
        start = next(i for i, r in enumerate(raekker) if r[:2] == ("Dato", "Status"))
        ud = []
        for r in raekker[start + 1:]:
            if r[0] is None:
                break
            ud.append((r[0].date(), r[1], r[3]))
        return ud

    # awaiting the final assessment, no status counts
    assert femern_raekker() == [(date(2025, 3, 1), "I gang", "nej")]
    milepael_status_create(indikator=Indikator.objects.get(noegle="M15.femern"),
                           status="ikke_opfyldt", endelig=True, dato=date(2026, 1, 20),
                           fortaelling="Nåede ikke i mål.")
    assert femern_raekker() == [(date(2026, 1, 20), "Ikke opfyldt", "ja"),
                                (date(2025, 3, 1), "I gang", "nej")]
