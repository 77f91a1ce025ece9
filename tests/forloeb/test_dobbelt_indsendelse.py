"""The same form sent twice (a double click, a resent POST) saves one record, for every kind of
record a form creates; the second answer names the record already saved. Approving a period
twice makes one version.

Each form is fetched first, as a browser does, so a form's one-time id (``indsendelse``) is sent
back as the page holds it."""

import re
from datetime import date, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from forloeb.models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Forloeb,
    Henvisning,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from maal.models import Maaling, MilepaelStatus
from rapporter.godkendelse import forklaring_gem
from rapporter.models import Forklaring, Godkendelse
from tests import factories

pytestmark = pytest.mark.django_db

KBH = ZoneInfo("Europe/Copenhagen")
NY_CVR = factories.gyldigt_cvr(981)


def tekst(svar) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", svar.content.decode())).split())


def som_browseren(klient, url, data):
    """``data`` with the hidden fields of the form at ``url`` (its one-time id), as sent."""
    side = klient.get(url).content.decode()
    skjulte = dict(re.findall(r'<input type="hidden" name="(indsendelse|efter_version)" '
                              r'value="([^"]*)"', side))
    return {**data, **skjulte}


def to_gange(klient, url, data):
    """Post the same form twice; the two answers, the second followed to its page."""
    return klient.post(url, data), klient.post(url, data, follow=True)


def forloeb_data():
    return {
        "virksomhed-soeg": NY_CVR, "virksomhed-navn": "Dobbeltklik ApS",
        "virksomhed-kommune": "259", "virksomhed-stiftelsesdato": "2023-05-01",
        "type": "kort", "startdato": "2025-03-03", "slutdato": "2025-03-20",
        "raadgiver": "Anne Holm", "emner": ["ai"], "fyrtaarn": "",
        "henvisning-TOTAL_FORMS": "1", "henvisning-INITIAL_FORMS": "0",
        "henvisning-MIN_NUM_FORMS": "0", "henvisning-MAX_NUM_FORMS": "1000",
        "henvisning-0-aktoer": "Innovationsfonden", "henvisning-0-dato": "2025-03-10",
        "naeste": "liste",
    }


def test_a_forloeb_for_a_new_company_sent_twice_is_one_forloeb_company_and_henvisning(
    logget_ind,
):
    url = reverse("forloeb:forloeb_opret")
    foerste, anden = to_gange(logget_ind, url, som_browseren(logget_ind, url, forloeb_data()))
    assert foerste.status_code == 302
    forloeb = Forloeb.objects.get()
    assert (Virksomhed.objects.count(), Henvisning.objects.count()) == (1, 1)
    assert forloeb.ekstern_id.startswith("F-")
    ret = reverse("forloeb:forloeb_ret", args=[forloeb.pk])
    assert anden.redirect_chain[0][0] == ret
    assert (f'Forløbet er allerede gemt: <a href="{ret}">{forloeb}</a> for Dobbeltklik ApS.'
            in anden.content.decode())


def test_a_henvisning_added_on_its_forloeb_sent_twice_is_one(logget_ind, registrant):
    forloeb = factories.forloeb(bruger=registrant)
    url = reverse("forloeb:forloeb_ret", args=[forloeb.pk])
    data = {**forloeb_data(), "virksomhed-soeg": forloeb.virksomhed.cvr, "virksomhed-navn": "",
            "virksomhed-kommune": "", "virksomhed-stiftelsesdato": "",
            "startdato": "2025-02-01", "slutdato": "", "type": forloeb.type}
    foerste, anden = to_gange(logget_ind, url, data)
    assert foerste.status_code == 302 and anden.status_code == 200
    assert Henvisning.objects.filter(forloeb=forloeb).count() == 1
    assert "Forløbet er gemt" in tekst(anden)


@pytest.mark.parametrize("art, model, data, besked", [
    ("ai_tjek", AITjek, lambda: {"virksomhed-soeg": factories.virksomhed().cvr,
                                 "dato": "2025-04-02"}, "AI-tjekket er allerede gemt: AI-tjek AI-"),
    ("aktivitet", Aktivitet, lambda: {
        "type": "faelles_aktivitet", "titel": "Morgenmøde om eksport", "dato": "2025-05-06",
        "partnere": [Aktoer.objects.get(navn="Lokal erhvervsservice Køge").pk],
        "kommuner": ["259"], "fyrtaarn": ""}, "Aktiviteten er allerede gemt: "),
    ("virksomhed", Virksomhed, lambda: {
        "cvr": NY_CVR, "navn": "Havn ApS", "kommune": "360", "stiftelsesdato": "2024-02-29"},
     "Virksomheden er allerede gemt: Havn ApS"),
    ("programdeltagelse", Programdeltagelse, lambda: {
        "virksomhed-soeg": factories.virksomhed(navn="Skov Tømrer ApS").cvr,
        "program": "smv_vaekstpilot", "status": "bevilget", "dato": "2025-06-01"},
     "Programdeltagelsen er allerede gemt: SMV Vækstpilot: Skov Tømrer ApS"),
    ("samarbejdsaftale", Samarbejdsaftale, lambda: {
        "aktoer": Aktoer.objects.get(navn="CLEAN").pk, "dato": "2025-02-10",
        "beskrivelse": "Fælles klyngeindsats"}, "Samarbejdsaftalen er allerede gemt: "),
])
def test_every_kind_sent_twice_is_saved_once_and_the_second_answer_names_it(
    logget_ind, art, model, data, besked,
):
    url = reverse(f"forloeb:{art}_opret")
    foerste, anden = to_gange(logget_ind, url, som_browseren(logget_ind, url, data()))
    assert foerste.status_code == 302, tekst(foerste)
    instans = model.objects.get()
    assert anden.status_code == 200 and besked in tekst(anden)
    side = ARTER_SIDE[art](instans)
    assert f'<a href="{side}">' in anden.content.decode()


ARTER_SIDE = {
    "ai_tjek": lambda i: reverse("forloeb:ai_tjek_ret", args=[i.pk]),
    "aktivitet": lambda i: reverse("forloeb:aktivitet_ret", args=[i.pk]),
    "virksomhed": lambda i: reverse("forloeb:virksomhed_side", args=[i.cvr]),
    "programdeltagelse": lambda i: reverse("forloeb:programdeltagelse_ret", args=[i.pk]),
    "samarbejdsaftale": lambda i: reverse("forloeb:samarbejdsaftale_ret", args=[i.pk]),
}


def test_gem_og_opret_ny_sent_twice_opens_a_fresh_form_with_a_new_id(logget_ind):
    url = reverse("forloeb:ai_tjek_opret")
    data = som_browseren(logget_ind, url, {
        "virksomhed-soeg": factories.virksomhed().cvr, "dato": "2025-04-02", "naeste": "ny"})
    foerste, anden = to_gange(logget_ind, url, data)
    assert foerste.url == url and anden.redirect_chain[0][0] == url
    assert AITjek.objects.count() == 1
    ny = som_browseren(logget_ind, url, {})["indsendelse"]
    assert ny != data["indsendelse"] and ny.startswith("AI-")


def test_the_same_kind_entered_again_in_a_new_form_is_a_second_record(logget_ind):
    """Two AI-tjek for one company the same day are two: each form has its own id."""
    url = reverse("forloeb:ai_tjek_opret")
    data = {"virksomhed-soeg": factories.virksomhed().cvr, "dato": "2025-04-02"}
    for _ in range(2):
        assert logget_ind.post(url, som_browseren(logget_ind, url, data)).status_code == 302
    assert AITjek.objects.count() == 2


def test_a_typed_escrm_id_sent_twice_is_refused_the_second_time_by_its_key(logget_ind):
    url = reverse("forloeb:ai_tjek_opret")
    data = som_browseren(logget_ind, url, {
        "virksomhed-soeg": factories.virksomhed().cvr, "dato": "2025-04-02",
        "ekstern_id": "ESCRM-77"})
    foerste, anden = to_gange(logget_ind, url, data)
    assert foerste.status_code == 302 and AITjek.objects.get().ekstern_id == "ESCRM-77"
    assert anden.status_code == 422
    assert "Et AI-tjek med dette ESCRM-id er allerede registreret." in tekst(anden)


def test_a_forged_id_is_not_used_and_the_record_gets_its_own(logget_ind):
    url = reverse("forloeb:ai_tjek_opret")
    logget_ind.post(url, {"virksomhed-soeg": factories.virksomhed().cvr, "dato": "2025-04-02",
                          "indsendelse": "noget-andet"})
    tjek = AITjek.objects.get()
    assert tjek.ekstern_id != "noget-andet" and tjek.ekstern_id.startswith("AI-")


# --- Målinger, milestones, explanations and approval ---------------------------------------------


IDAG = datetime(2025, 8, 15, 10, 0, tzinfo=KBH)


@pytest.fixture
def admin_klient(client, administrator, kontrakt_2025):
    client.force_login(administrator)
    with time_machine.travel(IDAG, tick=False):
        yield client


def test_a_maaling_sent_twice_is_one(admin_klient):
    url = "/status/maaling/ny/?aar=2025&periode=H1"
    data = {"noegle": "M3.nps", "vaerdi": "68", "dato": "2025-05-01", "kilde": "ERST"}
    foerste, anden = to_gange(admin_klient, url, data)
    assert foerste.status_code == 302 and Maaling.objects.count() == 1
    assert "Målingen af M3.nps er allerede gemt." in tekst(anden)
    # a different value is a new måling
    assert admin_klient.post(url, {**data, "vaerdi": "70"}).status_code == 302
    assert Maaling.objects.count() == 2


def test_a_milestone_status_sent_twice_is_one(admin_klient):
    url = "/status/indikator/M15.femern/milepael/?aar=2025&periode=H1"
    data = {"status": "i_gang", "dato": "2025-03-01", "fortaelling": "Partner i netværket."}
    foerste, anden = to_gange(admin_klient, url, data)
    assert foerste.status_code == 302 and MilepaelStatus.objects.count() == 1
    assert "er allerede gemt." in tekst(anden)


def test_explanations_sent_twice_are_one_version(admin_klient):
    url = "/status/forklaringer/?aar=2025&periode=H1"
    foerste, anden = to_gange(admin_klient, url, {"maal-7": "Efter sommerferien."})
    assert foerste.status_code == 302
    forklaring = Forklaring.objects.get()
    assert forklaring.history.count() == 1
    assert "Ingen forklaringer var ændret." in tekst(anden)


def test_approving_twice_makes_one_version(admin_klient, kontrakt_2025, administrator):
    for maal in kontrakt_2025.maal.all():
        forklaring_gem(maal=maal, periode="H1", tekst="Status.", bruger=administrator)
    url = "/status/godkend/?aar=2025&periode=H1"
    data = som_browseren(admin_klient, url, {"kommentar": "Drøftet."})
    assert data["efter_version"] == "0"
    foerste, anden = to_gange(admin_klient, url, data)
    assert foerste.status_code == 302
    assert Godkendelse.objects.get().version == 1
    assert anden.redirect_chain[0][0] == "/status/?aar=2025&periode=H1"
    assert "1. halvår 2025 er allerede godkendt (version 1 af Administrator)." in tekst(anden)
    # A page shown after it approves the next version.
    assert admin_klient.post(url, som_browseren(admin_klient, url, {})).status_code == 302
    assert sorted(Godkendelse.objects.values_list("version", flat=True)) == [1, 2]
    assert date(2025, 8, 15) == Godkendelse.objects.get(version=2).tidspunkt.astimezone(KBH).date()
