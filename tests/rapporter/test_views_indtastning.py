"""Administrators enter målinger and milestone statuses from the goal pages; earlier values stay
as history; KKR-læsere see no forms and may not post."""

import re
from datetime import datetime
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from maal.models import Maaling, MilepaelStatus

IDAG = datetime(2025, 7, 15, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
MAALING = "/status/maaling/ny/"
FEMERN = "/status/indikator/M15.femern/milepael/"


def tekst(svar) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", svar.content.decode())).split())


def artikel(svar, noegle: str) -> str:
    """The visible text of one indicator's panel on a goal page."""
    html = re.search(rf'<article[^>]*id="{noegle}".*?</article>', svar.content.decode(), re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html.group())).split())


def maal_side(client, nummer, periode="H1"):
    return client.get(reverse("rapporter:maal", args=[nummer]), {"aar": 2025, "periode": periode})


def indtast(client, noegle="M3.nps", vaerdi="68", dato="2025-05-01", kilde="ERST", **ekstra):
    return client.post(
        f"{MAALING}?aar=2025&periode=H1",
        {"noegle": noegle, "vaerdi": vaerdi, "dato": dato, "kilde": kilde, **ekstra},
    )


@pytest.fixture
def admin_klient(client, administrator, kontrakt_2025):
    client.force_login(administrator)
    return client


@time_machine.travel(IDAG, tick=False)
def test_administrator_enters_a_maaling_and_the_older_value_stays_in_the_history(admin_klient):
    svar = indtast(admin_klient, vaerdi="68", dato="2025-03-01", kilde="ERST, foreløbig")
    assert svar.status_code == 302
    assert svar["Location"] == "/status/maal/3/?aar=2025&periode=H1"
    assert "Faktisk 68 " in tekst(maal_side(admin_klient, 3))

    indtast(admin_klient, vaerdi="71,5", dato="2025-06-01", kilde="ERST, endelig",
            kommentar="Svarprocent 31")
    side = tekst(maal_side(admin_klient, 3))
    assert "Faktisk 71,5 " in side and "▲ På sporet" in side
    historik = side.split("Indtastede værdier")[1]
    assert "01-06-2025 71,5 ERST, endelig Svarprocent 31 Administrator, 15-07-2025 12:00 " \
           "✔ Tæller i perioden" in historik
    assert "01-03-2025 68 ERST, foreløbig Administrator, 15-07-2025 12:00 erstattet" in historik
    assert Maaling.objects.get(vaerdi=Decimal("71.5")).indtastet_af.username == "administrator"


@time_machine.travel(IDAG, tick=False)
def test_the_form_offers_the_contracts_measured_keys_and_shows_the_history(admin_klient):
    svar = admin_klient.get(MAALING, {"aar": 2025, "noegle": "M14.omsaetning"})
    html = svar.content.decode()
    noegler = re.findall(r'<option value="([^"]+)"', html)
    assert noegler[:3] == ["M2.kendskab_tilbud", "M2.kendskabsgrad", "M3.nps"]
    assert {"M14.omsaetning", "M14.basistilskud", "M12.sjaelland_via_ehh"} <= set(noegler)
    assert "M7.korte" not in noegler and "M14.gearing" not in noegler
    assert ('<option value="M14.omsaetning" selected>M14.omsaetning: tæller i gearing: samlet '
            'omsætning i forhold til basistilskud (M14.gearing)') in html
    assert 'value="2025-07-15"' in html
    assert "Der er endnu ikke indtastet en værdi for M14.omsaetning i 2025." in tekst(svar)


@time_machine.travel(IDAG, tick=False)
def test_a_forhold_figure_returns_to_its_goal(admin_klient):
    svar = indtast(admin_klient, noegle="M14.omsaetning", vaerdi="41.250.000",
                   dato="2025-06-30", kilde="Økonomisystemet")
    assert svar["Location"] == "/status/maal/14/?aar=2025&periode=H1"
    assert Maaling.objects.get().vaerdi == Decimal("41250000")


@time_machine.travel(IDAG, tick=False)
@pytest.mark.parametrize(
    ("felter", "besked"),
    [
        ({"dato": "2024-12-31"}, "Datoen skal ligge i kontraktåret 2025; ellers tæller den"),
        # after the year: a final figure, but not one from the future (today is 15 July 2025)
        ({"dato": "2026-01-10"}, "En måling dateret efter kontraktåret 2025 er et endeligt tal"),
        ({"vaerdi": "mange"}, "Indtast et tal."),
        ({"kilde": ""}, "Dette felt er påkrævet."),
        ({"noegle": "M7.korte"}, "Marker en gyldig valgmulighed. M7.korte er ikke en af de"),
    ],
)
def test_a_bad_maaling_is_not_saved_and_says_why(admin_klient, felter, besked):
    svar = indtast(admin_klient, **felter)
    assert svar.status_code == 200
    assert "Målingen er ikke gemt. Ret det markerede." in tekst(svar)
    assert besked in tekst(svar)
    assert not Maaling.objects.exists()


@time_machine.travel(IDAG, tick=False)
def test_administrator_sets_a_milestone_status_with_a_narrative(admin_klient):
    svar = admin_klient.post(f"{FEMERN}?aar=2025&periode=H1", {
        "status": "i_gang", "dato": "2025-03-01", "fortaelling": "Partner i leverandørnetværk.",
    })
    assert svar["Location"] == "/status/maal/15/?aar=2025&periode=H1"
    admin_klient.post(f"{FEMERN}?aar=2025&periode=H1", {
        "status": "opfyldt", "dato": "2025-06-20", "fortaelling": "Fast plads i styregruppen.",
    })
    femern = artikel(maal_side(admin_klient, 15), "M15.femern")
    assert femern.startswith("Aktiv rolle i fyrtårnet Femern M15.femern ✔ Opfyldt")
    assert "20-06-2025 ✔ Opfyldt Fast plads i styregruppen. Administrator" in femern
    assert "01-03-2025 ◐ I gang Partner i leverandørnetværk. Administrator" in femern
    assert MilepaelStatus.objects.count() == 2

    # before the second status, the first still applied
    marts = artikel(maal_side(admin_klient, 15, periode="2025-04-30"), "M15.femern")
    assert marts.startswith("Aktiv rolle i fyrtårnet Femern M15.femern ◐ I gang")


@time_machine.travel(IDAG, tick=False)
def test_milestone_form_starts_from_the_current_status(admin_klient):
    admin_klient.post(FEMERN + "?aar=2025", {"status": "i_gang", "dato": "2025-03-01",
                                             "fortaelling": "Godt i gang."})
    html = admin_klient.get(FEMERN, {"aar": 2025}).content.decode()
    assert '<option value="i_gang" selected>I gang</option>' in html
    assert "Godt i gang." in html
    assert admin_klient.get("/status/indikator/M7.korte/milepael/").status_code == 404


@time_machine.travel(IDAG, tick=False)
def test_goal_pages_offer_the_forms_to_administrators_only(admin_klient, kkr_laeser):
    laeser = Client()
    laeser.force_login(kkr_laeser)
    for nummer, knap in [(3, "Indtast måling af M3.nps"), (15, "Sæt status")]:
        assert knap in tekst(maal_side(admin_klient, nummer))
        assert knap not in tekst(maal_side(laeser, nummer))


@pytest.mark.parametrize("sti", [MAALING, FEMERN])
def test_kkr_laeser_cannot_post(client, kkr_laeser, kontrakt_2025, sti):
    client.force_login(kkr_laeser)
    felter = {"noegle": "M3.nps", "vaerdi": "99", "dato": "2025-05-01", "kilde": "x",
              "status": "opfyldt", "fortaelling": "x"}
    assert client.post(sti, felter).status_code == 403
    assert client.get(sti).status_code == 403
    assert not Maaling.objects.exists() and not MilepaelStatus.objects.exists()


@pytest.mark.parametrize("sti", [MAALING, FEMERN])
def test_registrant_cannot_post_and_anonymous_is_sent_to_login(client, registrant, kontrakt_2025,
                                                               sti):
    anonym = client.post(sti, {})
    assert anonym.status_code == 302 and anonym["Location"].startswith("/login/")
    client.force_login(registrant)
    assert client.post(sti, {}).status_code == 403

