"""Data quality (/status/datakvalitet/, rapporter/kvalitet.py): each flag finds a planted case
and nothing in clean data; the page for administrators and KKR-læsere; the status page's
notice when a flag touches the period shown."""

import re
from datetime import date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from forloeb import services
from forloeb.models import Aktoer, Forloeb
from rapporter import kvalitet
from rapporter.beregning import Periode
from tests import factories as f
from tests.factories import erhvervshus as sjaelland_hus

KBH = ZoneInfo("Europe/Copenhagen")
SIDE = "/status/datakvalitet/"
H1 = Periode.h1(2025)


def tid(aar, maaned, dag, time=10, minut=0):
    return datetime(aar, maaned, dag, time, minut, tzinfo=KBH)


def tekst(svar) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", svar.content.decode())).split())


def antal(periode=None) -> dict[str, int]:
    return {f_.noegle: f_.antal for f_ in kvalitet.flag(periode)}


def registreret(dato: datetime, **felter) -> Forloeb:
    with time_machine.travel(dato, tick=False):
        return f.forloeb(**felter)


@pytest.fixture
def rent(kontrakt_2025, registrant):
    """Clean data: forløb registered in time, a henvisning in time, no overlaps, few changes."""
    virksomhed = f.virksomhed()
    # exactly 60 days after its slutdato (1 March + 60 = 30 April): in time
    registreret(tid(2025, 4, 30, 23, 30), virksomhed_=virksomhed, type="kort",
                startdato=date(2025, 1, 10), slutdato=date(2025, 3, 1))
    # same company and type, starting the day after: no overlap
    forloeb = registreret(tid(2025, 3, 5), virksomhed_=virksomhed, type="kort",
                          startdato=date(2025, 3, 2), slutdato=date(2025, 3, 4),
                          bruger=registrant)
    # same company and dates, another type: no duplicate
    registreret(tid(2025, 3, 5), virksomhed_=virksomhed, type="handlingsplan",
                startdato=date(2025, 1, 10), slutdato=date(2025, 3, 1))
    with time_machine.travel(tid(2025, 4, 3), tick=False):  # 30 days after: in time
        services.henvisning_create(forloeb=forloeb, aktoer=Aktoer.objects.get(
            navn="Innovationsfonden"), dato=date(2025, 3, 3), bruger=registrant)
    return kontrakt_2025


def test_clean_data_raises_no_flag(rent):
    assert antal() == {"sene_forloeb": 0, "sene_henvisninger": 0, "dubletter": 0, "byger": 0,
                       "uden_stiftelsesdato": 0}
    assert kvalitet.opsummering(H1) == []


def test_a_forloeb_registered_61_days_after_its_end_is_flagged(rent):
    sen = registreret(tid(2025, 5, 1, 0, 30), type="kort", startdato=date(2025, 1, 10),
                      slutdato=date(2025, 3, 1))
    assert [r.pk for r in kvalitet.sene_forloeb()] == [sen.pk]
    assert antal(H1)["sene_forloeb"] == 1
    # the flag touches the period the forløb counts in, not another
    assert antal(Periode.pr_dato(date(2025, 2, 28)))["sene_forloeb"] == 0


def test_a_henvisning_added_31_days_after_the_forloeb_ended_is_flagged(rent, registrant):
    forloeb = registreret(tid(2025, 3, 2), type="handlingsplan", startdato=date(2025, 1, 10),
                          slutdato=date(2025, 3, 1), bruger=registrant)
    with time_machine.travel(tid(2025, 4, 1), tick=False):  # 1 March + 30 = 31 March
        henvisning = services.henvisning_create(
            forloeb=forloeb, aktoer=Aktoer.objects.get(navn="Innovationsfonden"),
            dato=date(2025, 2, 1), bruger=registrant,
        )
    assert [r.pk for r in kvalitet.sene_henvisninger()] == [henvisning.pk]
    assert antal(H1)["sene_henvisninger"] == 1
    assert antal(Periode.pr_dato(date(2025, 2, 1)))["sene_henvisninger"] == 0


def test_overlapping_forloeb_of_one_company_and_type_are_likely_duplicates(rent):
    virksomhed = f.virksomhed()
    a = registreret(tid(2025, 3, 5), virksomhed_=virksomhed, type="vaekstplan",
                    startdato=date(2025, 1, 10), slutdato=date(2025, 3, 1))
    b = registreret(tid(2025, 3, 5), virksomhed_=virksomhed, type="vaekstplan",
                    startdato=date(2025, 3, 1))  # open, starting on a's last day
    assert {r.pk for r in kvalitet.mulige_dubletter()} == {a.pk, b.pk}
    # in H1 only a counts (b has no slutdato): one forløb touches the period
    assert [r.pk for r in kvalitet.mulige_dubletter(H1)] == [a.pk]


def test_more_than_50_records_changed_by_one_user_in_an_hour_is_flagged(rent, administrator):
    virksomheder = [f.virksomhed() for _ in range(51)]
    with time_machine.travel(tid(2025, 6, 10, 14, 5), tick=True):
        for v in virksomheder[:50]:
            services.forloeb_create(erhvervshus=sjaelland_hus(),
                                    virksomhed=v, type="kort", startdato=date(2025, 5, 1),
                                    slutdato=date(2025, 6, 1), bruger=administrator)
    assert kvalitet.byger() == []  # 50 is not more than 50
    with time_machine.travel(tid(2025, 6, 10, 14, 50), tick=False):
        services.forloeb_create(erhvervshus=sjaelland_hus(),
                                virksomhed=virksomheder[50], type="kort",
                                startdato=date(2025, 5, 1), slutdato=date(2025, 6, 1),
                                bruger=administrator)
    (byge,) = kvalitet.byger()
    assert (byge.bruger, byge.poster, byge.time) == ("Administrator", 51, tid(2025, 6, 10, 14))
    assert byge.arter == ("forløb",)
    assert len(kvalitet.byger(H1)) == 1
    # none of the records changed counts in a status date before 1 June
    assert kvalitet.byger(Periode.pr_dato(date(2025, 5, 31))) == []


def test_the_next_hour_is_another_hour(rent, administrator):
    virksomheder = [f.virksomhed() for _ in range(51)]
    for n, v in enumerate(virksomheder):
        minut = tid(2025, 6, 10, 14, 30) + timedelta(minutes=n)  # 14:30 to 15:20
        with time_machine.travel(minut, tick=False):
            services.forloeb_create(erhvervshus=sjaelland_hus(),
                                    virksomhed=v, type="kort", startdato=date(2025, 5, 1),
                                    slutdato=date(2025, 6, 1), bruger=administrator)
    assert kvalitet.byger() == []


def test_companies_without_founding_date_cannot_exist_and_the_page_says_so(rent, administrator,
                                                                          client):
    client.force_login(administrator)
    side = tekst(client.get(SIDE, {"aar": 2025, "periode": "H1"}))
    assert "Virksomheder uden stiftelsesdato: 0" in side
    assert "Stiftelsesdatoen er et krævet felt" in side


def test_opsummering_costs_a_query_per_check_and_per_history_table(rent,
                                                                    django_assert_num_queries):
    """Computed afresh (nothing kept): three counts, and the bursts one history table at a time,
    so that kept, a write regroups its own table's history only."""
    registreret(tid(2025, 6, 1), type="kort", startdato=date(2025, 1, 10),
                slutdato=date(2025, 3, 1))
    with django_assert_num_queries(3 + len(kvalitet._historik_modeller())):
        flag = kvalitet.opsummering(H1)
    assert [(f_.noegle, f_.antal) for f_ in flag] == [("sene_forloeb", 1)]


# --- The page -----------------------------------------------------------------------------------


@pytest.fixture
def plantet(rent):
    sen = registreret(tid(2025, 6, 1), type="kort", startdato=date(2025, 1, 10),
                      slutdato=date(2025, 3, 1))
    return sen


@time_machine.travel(tid(2025, 7, 15), tick=False)
@pytest.mark.parametrize(("rolle", "kode"), [("administrator", 200), ("kkr_laeser", 200),
                                             ("registrant", 403), ("udenforstaaende", 403)])
def test_who_sees_the_page(plantet, client, request, rolle, kode):
    client.force_login(request.getfixturevalue(rolle))
    assert client.get(SIDE, {"aar": 2025, "periode": "H1"}).status_code == kode


def test_anonymous_is_sent_to_the_login(rent, client):
    svar = client.get(SIDE)
    assert svar.status_code == 302 and "login" in svar["Location"]


@time_machine.travel(tid(2025, 7, 15), tick=False)
def test_the_page_lists_the_records_with_links(plantet, laeser_klient):
    svar = laeser_klient.get(SIDE, {"aar": 2025, "periode": "H1"})
    side = tekst(svar)
    assert "Forløb registreret sent: 1" in side
    assert "Forløb oprettet mere end 60 dage efter deres slutdato." in side
    assert f"{plantet.ekstern_id} {plantet.virksomhed.navn} {plantet.virksomhed.cvr} Kort " \
           "vejledningsforløb 01-03-2025 01-06-2025" in side
    assert reverse("forloeb:forloeb_ret", args=[plantet.pk]) in svar.content.decode()
    assert "Mulige dubletter: 0" in side and "Intet fundet." in side
    # another period: the forløb ended in March, so a status date in February shows nothing
    februar = tekst(laeser_klient.get(SIDE, {"aar": 2025, "periode": "2025-02-28"}))
    assert "Forløb registreret sent: 0" in februar
    alle = tekst(laeser_klient.get(SIDE, {"aar": 2025, "periode": "2025-02-28", "alle": "1"}))
    assert "Alle perioder" in alle and "Forløb registreret sent: 1" in alle


@time_machine.travel(tid(2025, 7, 15), tick=False)
def test_thresholds_are_settings(plantet, laeser_klient, settings):
    settings.DATAKVALITET_SEN_REGISTRERING_DAGE = 100  # 1 March to 1 June is 92 days
    side = tekst(laeser_klient.get(SIDE, {"aar": 2025, "periode": "H1"}))
    assert "Forløb registreret sent: 0" in side
    assert "Forløb oprettet mere end 100 dage efter deres slutdato." in side


@time_machine.travel(tid(2025, 7, 15), tick=False)
def test_a_bad_period_gives_the_status_pages_error(rent, laeser_klient):
    svar = laeser_klient.get(SIDE, {"aar": 2025, "periode": "H3"})
    assert svar.status_code == 400
    assert "Ukendt periode 'H3'" in tekst(svar)


# --- The notice on the status page --------------------------------------------------------------


@time_machine.travel(tid(2025, 7, 15), tick=False)
def test_the_status_page_notes_flags_touching_the_period(plantet, laeser_klient):
    svar = laeser_klient.get("/status/", {"aar": 2025, "periode": "H1"})
    side = tekst(svar)
    assert "1 punkt om datakvalitet berører perioden: forløb registreret sent (1) – se " \
           "Datakvalitet" in side
    assert f'href="{SIDE}?aar=2025&amp;periode=H1"' in svar.content.decode()
    februar = tekst(laeser_klient.get("/status/", {"aar": 2025, "periode": "2025-02-28"}))
    assert "om datakvalitet" not in februar
    assert "Datakvalitet" in februar  # the link in the page's navigation stays


@time_machine.travel(tid(2025, 7, 15), tick=False)
def test_a_registrant_sees_neither_the_notice_nor_the_link(plantet, logget_ind):
    side = tekst(logget_ind.get("/status/", {"aar": 2025, "periode": "H1"}))
    assert "om datakvalitet" not in side and "Datakvalitet" not in side
