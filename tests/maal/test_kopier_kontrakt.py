"""Next year's contract in one step: ``kopier_kontrakt`` and the admin action copy the 2025
contract into 2026 (``maal.services.kontrakt_kopier``), and the copy counts a 2026 data set as
the original counted the same records a year earlier.

The data set is the demo command's for 2025 up to 15 July 2025, then the very same records
moved one year on (every date + 1 year; a company founded 29 February is founded 1 March, when
it turns three by the rule). Every kind is compared, målinger and milestones too: they are moved
as well (a milestone status to the copy's indicator with the same key). 2025 and 2026 both have
365 days, so H1 expects target × 181 / 365 in both.
"""

import json
import re
from datetime import date
from html import unescape
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forloeb.models import (
    AITjek,
    Aktivitet,
    Forloeb,
    Henvisning,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from maal.models import ByLand, Erhvervshus, Indikator, Maal, Maaling, MilepaelStatus
from maal.models import Resultatkontrakt as Kontrakt
from maal.services import KOPI_NOTE, kontrakt_kopier
from tests import factories as f

pytestmark = pytest.mark.django_db

MIDT_2025 = "2025-07-15 12:00 +0200"
MIDT_2026 = "2026-07-15 12:00 +0200"
KOPI_AARSAG = "Kopieret fra 2025"
DATOFELTER = {
    Virksomhed: ["stiftelsesdato"], Forloeb: ["startdato", "slutdato"], Henvisning: ["dato"],
    AITjek: ["dato"], Aktivitet: ["dato"], Programdeltagelse: ["dato"],
    Samarbejdsaftale: ["dato"], Maaling: ["dato"], MilepaelStatus: ["dato"],
}


def et_aar_senere(dato: date | None) -> date | None:
    if dato is None:
        return None
    if (dato.month, dato.day) == (2, 29):
        return date(dato.year + 1, 3, 1)
    return dato.replace(year=dato.year + 1)


def flyt_et_aar(kopi: Kontrakt) -> None:
    """Every record one year on; målinger to the next year, milestone statuses to ``kopi``'s
    indicator with the same key."""
    nye = {i.noegle: i for i in Indikator.objects.filter(maal__kontrakt=kopi)}
    for model, felter in DATOFELTER.items():
        poster = list(model.objects.all())
        for post in poster:
            for felt in felter:
                setattr(post, felt, et_aar_senere(getattr(post, felt)))
            if model is Maaling:
                post.aar += 1
            if model is MilepaelStatus:
                post.indikator = nye[post.indikator.noegle]
        ekstra = {Maaling: ["aar"], MilepaelStatus: ["indikator"]}.get(model, [])
        model.objects.bulk_update(poster, felter + ekstra)


def indikatorer(svar) -> dict[str, dict]:
    data = json.loads(svar.content)
    return {i["noegle"]: i for i in data["indikatorer"]}


def synlig(html: str) -> str:
    """What a reader sees of some HTML: the text without tags, whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def kopier(*args, **kwargs):
    ud = StringIO()
    call_command("kopier_kontrakt", *args, stdout=ud, **kwargs)
    return ud.getvalue()


def afvist(**kwargs) -> str:
    foer = Kontrakt.objects.count(), Maal.objects.count(), Indikator.objects.count()
    with pytest.raises(CommandError) as fejl:
        kopier(**kwargs)
    assert fejl.value.returncode == 2
    assert (Kontrakt.objects.count(), Maal.objects.count(), Indikator.objects.count()) == foer
    return str(fejl.value)


# --- The copy --------------------------------------------------------------------------------


def test_the_copy_has_every_goal_indicator_and_by_land_row(kontrakt_2025, administrator):
    kopi = kontrakt_kopier(kilde=kontrakt_2025, aar=2026, bruger=administrator)
    assert (kopi.aar, kopi.erhvervshus, kopi.modpart) == (2026, kontrakt_2025.erhvervshus,
                                                          kontrakt_2025.modpart)
    assert (kopi.indledning, kopi.by_land_kilde, kopi.by_land_er_standard) == (
        kontrakt_2025.indledning, kontrakt_2025.by_land_kilde, kontrakt_2025.by_land_er_standard)

    def maal(k):
        return [(m.nummer, m.titel, m.niveau, m.beskrivelse, m.maal_tekst, m.metode_tekst)
                for m in k.maal.order_by("nummer")]

    def indikatorer_(k):
        return [(i.maal.nummer, i.noegle, i.titel, i.art, i.maalvaerdi, i.retning, i.enhed,
                 i.datakilde, i.regel, i.parametre, i.raekkefoelge)
                for i in Indikator.objects.filter(maal__kontrakt=k).order_by(
                    "maal__nummer", "raekkefoelge", "noegle")]

    def by_land(k):
        return sorted(k.by_land.values_list("kommune_id", "kategori"))

    assert maal(kopi) == maal(kontrakt_2025) and len(maal(kopi)) == 15
    assert indikatorer_(kopi) == indikatorer_(kontrakt_2025) and len(indikatorer_(kopi)) == 31
    assert by_land(kopi) == by_land(kontrakt_2025) and len(by_land(kopi)) == 17
    # the original is untouched and the copy's targets are its own, to edit
    Indikator.objects.filter(maal__kontrakt=kopi, noegle="M2.kendskab_tilbud").update(maalvaerdi=65)
    assert Indikator.objects.get(maal__kontrakt=kontrakt_2025, noegle="M2.kendskab_tilbud") \
        .maalvaerdi == 55


def test_the_history_names_the_user_and_the_source_year(kontrakt_2025, administrator):
    kopi = kontrakt_kopier(kilde=kontrakt_2025, aar=2026, bruger=administrator)
    poster = [
        kopi.history.get(),
        Maal.history.get(kontrakt_id=kopi.pk, nummer=7),
        Indikator.history.get(maal__kontrakt=kopi, noegle="M7.korte"),
        ByLand.history.filter(kontrakt_id=kopi.pk).first(),
    ]
    for post in poster:
        assert (post.history_type, post.history_user, post.history_change_reason) == (
            "+", administrator, KOPI_AARSAG)


def test_the_copy_is_all_or_nothing(kontrakt_2025, administrator, monkeypatch):
    from maal import services

    gem = services.gem

    def fejler_ved_by_land(instans, **kwargs):
        if isinstance(instans, ByLand):
            raise RuntimeError("disken er fuld")
        return gem(instans, **kwargs)

    monkeypatch.setattr(services, "gem", fejler_ved_by_land)
    with pytest.raises(RuntimeError):
        kontrakt_kopier(kilde=kontrakt_2025, aar=2026, bruger=administrator)
    assert not Kontrakt.objects.filter(aar=2026).exists()
    assert Maal.objects.count() == 15


# --- The command -------------------------------------------------------------------------------


def test_the_command_copies_and_says_the_targets_are_to_be_edited(kontrakt_2025, administrator):
    ud = kopier(fra=2025, til=2026, bruger="administrator")
    assert "Resultatkontrakten for 2026 er oprettet for Erhvervshus Sjælland som kopi af 2025: " \
           "15 mål, 31 indikatorer og 17 kommuner i by/land-klassifikationen." in ud
    assert "Målværdierne er kopieret uændret; ret dem i administrationen før året begynder." in ud
    assert KOPI_NOTE in ud
    # the texts that name 2025 are pointed out, for the administrator to edit too
    assert "Teksterne nævner stadig 2025: indledningen, mål 2, mål 7, mål 9" in ud
    kopi = Kontrakt.objects.get(aar=2026)
    assert kopi.history.get().history_user == administrator


def test_the_command_refuses_a_target_year_that_exists(kontrakt_2025, administrator):
    kopier(fra=2025, til=2026, bruger="administrator")
    assert afvist(fra=2025, til=2026, bruger="administrator") == (
        "Erhvervshus Sjælland har allerede en resultatkontrakt for 2026; intet er kopieret.")
    assert "allerede" in afvist(fra=2025, til=2025, bruger="administrator")


def test_the_command_refuses_a_source_year_that_does_not_exist(kontrakt_2025, administrator):
    assert afvist(fra=2024, til=2026, bruger="administrator") == (
        "Der er ingen resultatkontrakt for 2024 at kopiere fra (kendte år: 2025).")


def test_the_command_refuses_an_unknown_house_and_names_the_known(kontrakt_2025, administrator):
    assert afvist(fra=2025, til=2026, erhvervshus="Erhvervshus Bornholm",
                  bruger="administrator") == (
        "Ukendt erhvervshus 'Erhvervshus Bornholm' (kendte: Erhvervshus Fyn, Erhvervshus "
        "Hovedstaden, Erhvervshus Midtjylland, Erhvervshus Nordjylland, Erhvervshus Sjælland, "
        "Erhvervshus Sydjylland).")


def test_the_command_asks_which_house_when_several_have_the_year(kontrakt_2025, administrator):
    fyn = Erhvervshus.objects.get(navn="Erhvervshus Fyn")  # reference data (maal/0007)
    Kontrakt.objects.create(erhvervshus=fyn, aar=2025, modpart="KKR Syddanmark")
    assert afvist(fra=2025, til=2026, bruger="administrator") == (
        "Flere erhvervshuse har en kontrakt for 2025 (Erhvervshus Fyn, Erhvervshus Sjælland): "
        "angiv, hvilken der kopieres, med --erhvervshus.")
    ud = kopier(fra=2025, til=2026, erhvervshus="erhvervshus fyn", bruger="administrator")
    assert "for 2026 er oprettet for Erhvervshus Fyn som kopi af 2025: 0 mål" in ud
    assert not Kontrakt.objects.filter(aar=2026, erhvervshus=kontrakt_2025.erhvervshus).exists()


def test_the_command_refuses_an_unknown_user_and_one_who_may_not(kontrakt_2025, registrant):
    assert afvist(fra=2025, til=2026, bruger="ingen") == (
        "Brugeren 'ingen' findes ikke. Intet er kopieret.")
    assert afvist(fra=2025, til=2026, bruger="registrant") == (
        "Kun en administrator kan oprette en resultatkontrakt. Intet er kopieret.")


# --- The admin action --------------------------------------------------------------------------


LISTE = "/admin/maal/resultatkontrakt/"


def test_the_admin_action_copies_to_next_year_and_opens_the_copy(
    kontrakt_2025, administrator, client
):
    client.force_login(administrator)
    assert "Kopiér til næste år" in client.get(LISTE).content.decode()
    svar = client.post(LISTE, {"action": "kopier_til_naeste_aar",
                               "_selected_action": [kontrakt_2025.pk]}, follow=True)
    kopi = Kontrakt.objects.get(aar=2026)
    assert svar.redirect_chain == [(reverse("admin:maal_resultatkontrakt_change",
                                            args=[kopi.pk]), 302)]
    side = svar.content.decode()
    assert "Resultatkontrakten for 2026 er oprettet for Erhvervshus Sjælland som kopi af 2025." \
        in side
    assert "Målværdierne er kopieret uændret; ret dem i administrationen før året begynder." \
        in side
    assert 'name="_save"' in side  # ready to edit
    assert kopi.maal.count() == 15
    assert kopi.history.get().history_user == administrator
    # the copy's goals open with their indicators, targets editable
    maal_2 = kopi.maal.get(nummer=2)
    side = client.get(reverse("admin:maal_maal_change", args=[maal_2.pk])).content.decode()
    assert 'name="indikatorer-1-maalvaerdi"' in side or 'name="indikatorer-0-maalvaerdi"' in side


def test_the_admin_action_refuses_a_year_that_exists(kontrakt_2025, administrator, client):
    kontrakt_kopier(kilde=kontrakt_2025, aar=2026, bruger=administrator)
    client.force_login(administrator)
    svar = client.post(LISTE, {"action": "kopier_til_naeste_aar",
                               "_selected_action": [kontrakt_2025.pk]}, follow=True)
    assert svar.redirect_chain[-1][0].endswith(LISTE)
    assert "Erhvervshus Sjælland har allerede en resultatkontrakt for 2026; intet er kopieret." \
        in svar.content.decode()
    assert Kontrakt.objects.filter(aar=2026).count() == 1


def test_a_kkr_reader_has_no_admin_action(kontrakt_2025, kkr_laeser, client):
    client.force_login(kkr_laeser)
    svar = client.post(LISTE, {"action": "kopier_til_naeste_aar",
                               "_selected_action": [kontrakt_2025.pk]})
    assert svar.status_code == 403
    assert not Kontrakt.objects.filter(aar=2026).exists()


# --- 2026 counts as 2025 did -------------------------------------------------------------------


def test_the_copy_counts_a_year_later_as_the_original_did(kontrakt_2025, administrator,
                                                          kkr_laeser, client):
    client.force_login(kkr_laeser)
    with time_machine.travel(MIDT_2025, tick=False):
        call_command("demodata", aar=2025, forloeb=400, stdout=StringIO())
        svar = client.get(reverse("rapporter:json"), {"aar": 2025, "periode": "H1"})
        for_2025 = indikatorer(svar)
    kopi = kontrakt_kopier(kilde=kontrakt_2025, aar=2026, bruger=administrator)
    flyt_et_aar(kopi)
    with time_machine.travel(MIDT_2026, tick=False):
        svar = client.get(reverse("rapporter:json"), {"aar": 2026, "periode": "H1"})
        for_2026 = indikatorer(svar)

    assert set(for_2026) == set(for_2025) and len(for_2026) == 31
    assert for_2026 == for_2025  # faktisk, forventet, opfyldelse, status, by/land: all of it
    # a data set that exercises the rules: every status but the finished year's
    statusser = {i["status"] for i in for_2026.values()}
    assert {"paa_sporet", "bagud", "i_gang"} <= statusser, statusser
    assert for_2026["M7.korte"]["faktisk"] > 0
    assert for_2026["M7.korte"]["forventet"] == pytest.approx(880 * 181 / 365, abs=0.05)
    assert for_2026["M3.nps"]["faktisk"] == 72  # the måling moved with the records


def test_the_goal_page_shows_last_years_figure_for_the_same_key(kontrakt_2025, administrator,
                                                                 kkr_laeser, client):
    kontrakt_kopier(kilde=kontrakt_2025, aar=2026, bruger=administrator)
    for aar, antal in ((2025, 3), (2026, 2)):
        for _ in range(antal):
            f.forloeb(type="kort", startdato=date(aar, 1, 5), slutdato=date(aar, 3, 1))
    client.force_login(kkr_laeser)
    with time_machine.travel(MIDT_2026, tick=False):
        side = client.get(reverse("rapporter:maal", args=[7]),
                          {"aar": 2026, "periode": "H1"}).content.decode()
    kort = synlig(side.split('id="M7.korte"')[1].split("</dl>")[0])
    # this year's 2 beside last year's 3 at the same point, from last year's contract
    assert "Faktisk 2 Forventet ved periodens slut (pro rata) 436,4" in kort
    assert kort.endswith("Sidste år: 1. halvår 2025 3")


def test_the_goal_page_costs_the_same_queries_whatever_the_volume(kontrakt_2025, administrator,
                                                                  kkr_laeser, client,
                                                                  django_assert_max_num_queries):
    kontrakt_kopier(kilde=kontrakt_2025, aar=2026, bruger=administrator)
    client.force_login(kkr_laeser)

    def byg(antal):
        for aar in (2025, 2026):
            for _ in range(antal):
                f.forloeb(type="kort", startdato=date(aar, 1, 5), slutdato=date(aar, 3, 1))

    byg(1)
    with time_machine.travel(MIDT_2026, tick=False):
        with CaptureQueriesContext(connection) as faa:
            assert client.get(reverse("rapporter:maal", args=[7]),
                              {"aar": 2026, "periode": "H1"}).status_code == 200
        byg(10)
        with django_assert_max_num_queries(len(faa.captured_queries)):
            client.get(reverse("rapporter:maal", args=[7]), {"aar": 2026, "periode": "H1"})


@time_machine.travel("2026-01-01 09:00 +0100", tick=False)
def test_from_1_january_the_copy_counts_pro_rata(kontrakt_2025, administrator, kkr_laeser,
                                                 client):
    kontrakt_kopier(kilde=kontrakt_2025, aar=2026, bruger=administrator)
    for _ in range(3):
        f.forloeb(type="kort", startdato=date(2025, 12, 1), slutdato=date(2026, 1, 1))
    client.force_login(kkr_laeser)
    # the newest year by default, as status pr. today: 880 × 1 / 365 = 2.4 expected
    side = synlig(client.get(reverse("rapporter:status")).content.decode())
    assert "Status pr. 1. januar 2026" in side
    korte = indikatorer(client.get(reverse("rapporter:json"),
                                   {"aar": 2026, "periode": "2026-01-01"}))["M7.korte"]
    assert (korte["faktisk"], korte["forventet"], korte["status"]) == (3, 2.4, "paa_sporet")
