"""The audit trail: every change to every record kind in one list (``rapporter.revision``), its
page for administrators with filters and pages, and its Excel export."""

import io
import re
from datetime import date, datetime
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from forloeb import laas, services
from forloeb.models import Aktoer, Forloeb
from maal import services as maal_services
from maal.models import Erhvervshus, Indikator
from rapporter import revision, views_revision
from rapporter.models import Forklaring
from rapporter.views_revision import revision_raekke
from tests import factories
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, VIRKSOMHED_OVERSKRIFT, bog

pytestmark = pytest.mark.django_db

KBH = ZoneInfo("Europe/Copenhagen")
SIDE = "/status/revision/"
EKSPORT = "/status/revision/eksport/"
H1 = (date(2025, 1, 1), date(2025, 6, 30))


def kl(maaned, dag, time=10):
    return datetime(2025, maaned, dag, time, 0, tzinfo=KBH)


def tekst(svar) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", svar.content.decode())).split())


@pytest.fixture
def tid():
    with time_machine.travel(kl(7, 1), tick=False) as rejse:
        yield rejse


@pytest.fixture
def historie(tid, kontrakt_2025, registrant, administrator):
    """Changes by two users to several kinds, a day apart, each with a reason where one is asked
    for: a forløb (created, then moved out of H1), a måling, a milestone status and an
    explanation."""
    forloeb = factories.forloeb(bruger=registrant, ekstern_id="F-1", startdato=date(2025, 2, 1),
                                slutdato=date(2025, 3, 1), emner=["ai"],
                                henvist_til=["Innovationsfonden"])
    tid.move_to(kl(7, 2))
    services.opdater(forloeb, bruger=administrator, aarsag="Forkert slutdato",
                     slutdato=date(2025, 7, 1))
    tid.move_to(kl(7, 3))
    hus = Erhvervshus.objects.get(navn="Erhvervshus Sjælland")
    maal_services.maaling_create(
        erhvervshus=hus, noegle="M3.nps", aar=2025, vaerdi=Decimal("42.5"), dato=date(2025, 6, 30),
        kilde="ERST", bruger=administrator, aarsag="Tal fra ERST")
    tid.move_to(kl(7, 4))
    femern = Indikator.objects.get(noegle="M15.femern")
    maal_services.milepael_status_create(
        indikator=femern, status="i_gang", dato=date(2025, 7, 4), fortaelling="Aftale på vej",
        bruger=administrator, aarsag="Status til KKR")
    tid.move_to(kl(7, 5))
    services.gem(Forklaring(maal=femern.maal, periode="H1", tekst="Vi er bagud, fordi …",
                            opdateret_af=administrator),
                 bruger=administrator, aarsag="Forklaring til KKR")
    tid.move_to(kl(7, 6))
    return forloeb


def test_changes_to_every_kind_show_who_when_which_fields_and_why(historie, administrator):
    nyeste = revision.aendringer(graense=4)
    assert [(a.art, a.handling, a.bruger) for a in nyeste] == [
        ("forklaring", "Oprettet", "Administrator"),
        ("milepælsstatus", "Oprettet", "Administrator"),
        ("måling", "Oprettet", "Administrator"),
        ("forløb", "Ændret", "Administrator"),
    ]
    forklaring, milepael, maaling, flyttet = nyeste
    # The company, the forløb and its henvisning were made in the same instant: their order
    # among themselves is the database's; the forløb's creation is one entry with its emner.
    samtidige = revision.aendringer(graense=7)[4:]
    assert sorted((a.art, a.handling) for a in samtidige) == [
        ("forløb", "Oprettet"), ("henvisning", "Oprettet"), ("virksomhed", "Oprettet")]
    emner = next(a for a in samtidige if a.art == "forløb")
    assert emner.bruger == "Registrant"
    assert forklaring.tidspunkt == kl(7, 5)
    assert (forklaring.objekt, forklaring.aarsag) == ("Forklaring til Mål 15, 1. halvår",
                                                      "Forklaring til KKR")
    assert ("Forklaring", "–", "Vi er bagud, fordi …") in forklaring.felter
    assert ("Status", "–", "I gang") in milepael.felter
    assert (maaling.model, maaling.aarsag) == ("maal.maaling", "Tal fra ERST")
    assert ("Værdi", "–", "42,50") in maaling.felter
    assert flyttet.felter == [("Slutdato", "01-03-2025", "01-07-2025")]
    assert (flyttet.aarsag, flyttet.objekt, flyttet.pk) == (
        "Forkert slutdato", "Kort vejledningsforløb F-1", historie.pk)
    assert flyttet.url == f"/registrering/forloeb/{historie.pk}/ret/"
    assert ("Emner", "–", "Kunstig intelligens") in emner.felter  # in the creation entry
    # No technical fields (timestamps, who made the record, keys) among the created values.
    oprettet = revision.aendringer(art="forloeb.forloeb")[-1]
    assert [f for f, _, _ in oprettet.felter] == [
        "Ekstern id", "Erhvervshus", "Virksomhed", "Type", "Startdato", "Slutdato", "Emner"]


def test_each_filter_narrows_the_list(historie, registrant, administrator):
    alle = revision.aendringer()
    assert revision.antal() == len(alle) > 6
    registrantens = revision.aendringer(bruger_id=registrant.pk)
    assert registrantens and {a.bruger for a in registrantens} == {"Registrant"}
    assert {a.model for a in revision.aendringer(art="maal.maaling")} == {"maal.maaling"}
    dagen = revision.aendringer(fra=kl(7, 3, 0), til=kl(7, 4, 23))
    assert [a.art for a in dagen] == ["milepælsstatus", "måling"]
    assert revision.antal(fra=kl(7, 3, 0), til=kl(7, 4, 23)) == 2
    assert revision.aendringer(kun_importer=True) == []
    # The export's way through: a bite at a time, the same list.
    assert list(revision.alle_aendringer(bid=2)) == alle
    assert list(revision.alle_aendringer(bid=3, bruger_id=registrant.pk)) == registrantens


def test_the_period_keeps_a_forloeb_moved_out_of_it_and_the_referrals_of_one_in_it(
        tid, registrant):
    flyttet = factories.forloeb(bruger=registrant, ekstern_id="F-UD", slutdato=date(2025, 3, 1))
    services.opdater(flyttet, bruger=registrant, slutdato=date(2025, 7, 1))
    i_h1 = factories.forloeb(ekstern_id="F-H1", slutdato=date(2025, 5, 1),
                             henvist_til=["Innovationsfonden"])
    i_h2 = factories.forloeb(ekstern_id="F-H2", slutdato=date(2025, 7, 1),
                             henvist_til=["Innovationsfonden"])
    igang = factories.forloeb(ekstern_id="F-IGANG")

    fundne = revision.aendringer(periode=H1)
    forloeb = {(a.pk, a.handling) for a in fundne if a.model == "forloeb.forloeb"}
    assert forloeb == {(flyttet.pk, "Oprettet"), (flyttet.pk, "Ændret"), (i_h1.pk, "Oprettet")}
    henvisninger = {a.pk for a in fundne if a.model == "forloeb.henvisning"}
    assert henvisninger == {i_h1.henvisninger.get().pk}
    assert not {a.model for a in fundne} - {"forloeb.forloeb", "forloeb.henvisning"}
    assert igang.pk not in {a.pk for a in fundne if a.model == "forloeb.forloeb"}
    assert i_h2.pk not in {a.pk for a in fundne if a.model == "forloeb.forloeb"}
    assert revision.antal(periode=H1) == len(fundne) == 4


def test_a_referral_of_a_deleted_forloeb_keeps_its_forloebs_period(tid, registrant):
    forloeb = factories.forloeb(bruger=registrant, ekstern_id="F-1", slutdato=date(2025, 5, 1),
                                henvist_til=["Innovationsfonden"])
    henvisning, pk = forloeb.henvisninger.get(), forloeb.pk
    services.slet(forloeb, bruger=registrant, aarsag="Dobbeltregistreret")

    fundne = revision.aendringer(periode=H1)
    slettet = [a for a in fundne if a.handling == "Slettet"]
    assert {(a.model, a.pk) for a in slettet} == {
        ("forloeb.forloeb", pk), ("forloeb.henvisning", henvisning.pk)}
    assert all(a.url is None and a.aarsag == "Dobbeltregistreret" for a in slettet)
    assert all(a.bruger == "Registrant" for a in slettet)
    assert ("Slutdato", "01-05-2025", "–") in slettet[0].felter or (
        "Slutdato", "01-05-2025", "–") in slettet[1].felter
    # Both are gone, so neither entry links anywhere.
    assert [a.url for a in fundne if a.handling == "Oprettet"] == [None, None]


def test_touching_an_approved_period_is_marked_and_filtered(tid, monkeypatch, registrant):
    monkeypatch.setattr(laas, "_kilder", [lambda: [laas.LaastPeriode(*H1, "H1 er godkendt")]])
    i_h1 = factories.forloeb(ekstern_id="F-H1", slutdato=date(2025, 5, 1))
    factories.forloeb(ekstern_id="F-H2", slutdato=date(2025, 7, 1))

    alle = {a.objekt: a.berorer_godkendt for a in revision.aendringer(art="forloeb.forloeb")}
    assert alle == {"Kort vejledningsforløb F-H1": True, "Kort vejledningsforløb F-H2": False}
    godkendte = revision.aendringer(kun_godkendte=True)
    assert [(a.model, a.pk) for a in godkendte] == [("forloeb.forloeb", i_h1.pk)]
    assert revision.antal(kun_godkendte=True) == 1

    monkeypatch.setattr(laas, "_kilder", [])
    assert revision.aendringer(kun_godkendte=True) == []


def test_an_imports_changes_carry_its_reason_and_are_found_by_kun_importer(
        tid, kontrakt_2025, administrator, tmp_path, registrant):
    factories.forloeb(bruger=registrant, ekstern_id="F-HAAND")
    fil = tmp_path / "crm.xlsx"
    fil.write_bytes(bog(
        Virksomheder=[VIRKSOMHED_OVERSKRIFT, ["10000017", "Nordisk Bageri ApS", "330",
                                              date(2010, 1, 1)]],
        Forloeb=[FORLOEB_OVERSKRIFT, ["ESCRM-1", "10000017", "kort", date(2025, 1, 5), None,
                                      "", "", ""]],
    ))
    call_command("importer", str(fil), "--bruger", "administrator", stdout=io.StringIO())

    importeret = revision.aendringer(kun_importer=True)
    assert {(a.model, a.objekt) for a in importeret} == {
        ("forloeb.virksomhed", "Nordisk Bageri ApS (10000017)"),
        ("forloeb.forloeb", "Kort vejledningsforløb ESCRM-1"),
    }
    assert {(a.aarsag, a.bruger, a.handling) for a in importeret} == {
        ("Import af crm.xlsx", "Administrator", "Oprettet")}
    forloeb = Forloeb.objects.get(ekstern_id="ESCRM-1")
    assert [a.url for a in importeret if a.model == "forloeb.forloeb"] == [
        f"/registrering/forloeb/{forloeb.pk}/ret/"]


def test_every_model_with_history_takes_part():
    navne = {m._meta.label_lower for m in revision.historik_modeller()}
    assert {"forloeb.forloeb", "forloeb.henvisning", "maal.resultatkontrakt", "maal.indikator",
            "maal.maaling", "maal.milepaelstatus", "rapporter.forklaring",
            "rapporter.godkendelse"} <= navne
    assert not any(n.startswith("forloeb.historical") for n in navne)
    assert ("rapporter.forklaring", "Forklaring") in revision.arter()


# --- The page and the export --------------------------------------------------------------------


def test_the_page_is_for_administrators(client, administrator, registrant, kkr_laeser):
    assert client.get(SIDE).status_code == 302  # to the login
    for bruger, status in ((administrator, 200), (registrant, 403), (kkr_laeser, 403)):
        client.force_login(bruger)
        assert client.get(SIDE).status_code == status
        assert client.get(EKSPORT).status_code == status


def test_the_navigation_offers_the_page_to_administrators_only(client, administrator,
                                                             kkr_laeser):
    client.force_login(kkr_laeser)
    assert "Revisionsspor" not in tekst(client.get("/status/"))
    client.force_login(administrator)
    menu = re.search(r'<nav aria-label="Hovedmenu">.*?</nav>', client.get(SIDE).content.decode(),
                     re.S).group()
    assert 'href="/status/revision/" aria-current="page">Revisionsspor' in menu
    assert menu.count('aria-current="page"') == 1


def test_the_page_shows_each_change_with_its_fields_and_link(client, historie, administrator):
    client.force_login(administrator)
    svar = client.get(SIDE, {"art": "forloeb.forloeb"})
    side = tekst(svar)
    assert "Slutdato: 01-03-2025 → 01-07-2025" in side
    assert "Forkert slutdato" in side
    assert "02-07-2025 10:00 Administrator Forløb Kort vejledningsforløb F-1 Ændret" in side
    assert f'href="/registrering/forloeb/{historie.pk}/ret/"' in svar.content.decode()
    assert "Forklaring til KKR" not in side  # another kind
    assert "2 ændringer passer på filtrene" in side  # created (with its emner), changed


def test_a_from_date_after_the_to_date_is_an_error_next_to_both(client, historie,
                                                                administrator):
    client.force_login(administrator)
    svar = client.get(SIDE, {"fra": "2025-07-05", "til": "2025-07-01", "art": "maal.maaling"})
    assert svar.status_code == 200
    side = tekst(svar)
    assert "Ligger efter »Ændret til« (01-07-2025). Ret en af datoerne." in side
    assert "Ligger før »Ændret fra« (05-07-2025). Ret en af datoerne." in side
    assert "1 ændring passer på filtrene" in side  # the dates are left out, the kind applies
    assert client.get(EKSPORT, {"fra": "2025-07-05", "til": "2025-07-01"}).status_code == 400
    assert "Indtast en gyldig dato" in tekst(client.get(SIDE, {"fra": "i går"}))


def test_the_page_has_50_changes_a_page(client, tid, administrator):
    forloeb = factories.forloeb(ekstern_id="F-1")
    for nr in range(60):
        services.opdater(forloeb, raadgiver=f"Rådgiver {nr}")
    client.force_login(administrator)
    foerste = tekst(client.get(SIDE, {"art": "forloeb.forloeb"}))
    assert "61 ændringer passer på filtrene · side 1 af 2" in foerste
    assert foerste.count("Rådgiver: ") == 50
    anden = tekst(client.get(SIDE, {"art": "forloeb.forloeb", "page": 2}))
    assert anden.count("Rådgiver: ") == 10 and "Oprettet" in anden


def test_the_export_holds_the_pages_rows(client, historie, administrator):
    client.force_login(administrator)
    svar = client.get(EKSPORT, {"bruger": administrator.pk})
    assert svar["Content-Disposition"].startswith('attachment; filename="revisionsspor-')
    ark = load_workbook(io.BytesIO(svar.content)).active
    overskrift, *raekker = ark.iter_rows(values_only=True)
    assert overskrift[:3] == ("Tidspunkt", "Bruger", "Posttype")
    forventet = [revision_raekke(a) for a in revision.aendringer(bruger_id=administrator.pk)]
    laest = [[r[0].strftime("%d-%m-%Y %H:%M"), *(v or "" for v in r[1:])] for r in raekker]
    assert laest == forventet and len(laest) == 4
    side = tekst(client.get(SIDE, {"bruger": administrator.pk}))
    for raekke in forventet:
        assert " ".join(raekke[:5]) in side


def test_the_query_count_does_not_grow_with_the_records(tid, kontrakt_2025, registrant,
                                                        django_assert_max_num_queries):
    def lav(antal):
        for nr in range(antal):
            forloeb = factories.forloeb(bruger=registrant, slutdato=date(2025, 5, 1),
                                        emner=["ai"], henvist_til=["Innovationsfonden"])
            services.opdater(forloeb, bruger=registrant, aarsag="Ret", raadgiver=f"R{nr}")
            services.slet(forloeb.henvisninger.get(), bruger=registrant, aarsag="Fejl")

    def tael():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        with CaptureQueriesContext(connection) as fanget:
            revision.aendringer(graense=50, periode=H1)
            revision.aendringer(graense=50)
        return len(fanget)

    lav(3)
    faa = tael()
    lav(30)
    with django_assert_max_num_queries(faa):
        assert len(revision.aendringer(graense=50, periode=H1)) == 50
        assert len(revision.aendringer(graense=50)) == 50


def test_the_page_query_count_does_not_grow_either(client, tid, administrator,
                                                   django_assert_max_num_queries):
    for _ in range(3):
        factories.forloeb(slutdato=date(2025, 5, 1), henvist_til=["Innovationsfonden"])
    client.force_login(administrator)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as fanget:
        client.get(SIDE)
    for _ in range(40):
        factories.forloeb(slutdato=date(2025, 5, 1), henvist_til=["Innovationsfonden"])
    with django_assert_max_num_queries(len(fanget)):
        assert client.get(SIDE).status_code == 200


def test_aktoer_m2m_and_links_to_deleted_records_are_shown(tid, registrant):
    aktoer = Aktoer.objects.get(navn="Innovationsfonden")
    services.opdater(aktoer, bruger=registrant, m2m={"kommuner": ["330", "320"]})
    aendring = revision.aendringer(art="forloeb.aktoer", graense=1)[0]
    assert aendring.felter == [("Kommuner betjent", "–", "Faxe, Slagelse")]


def test_explanations_and_approvals_link_to_their_pages_without_the_snapshot(
        tid, kontrakt_2025, administrator):
    from rapporter.models import Godkendelse

    maal = kontrakt_2025.maal.get(nummer=7)
    services.gem(Forklaring(maal=maal, periode="H1", tekst="Bagud i foråret"),
                 bruger=administrator, aarsag="Til KKR")
    tid.move_to(kl(7, 2))
    services.gem(Godkendelse(kontrakt=kontrakt_2025, periode="H1", version=1,
                             godkendt_af=administrator, godkendt_af_navn="Administrator",
                             tidspunkt=kl(7, 1), kommentar="OK", indhold={"tal": [1, 2, 3]}),
                 bruger=administrator, aarsag="Godkendt")
    godkendelse, forklaring = revision.aendringer(graense=2)
    hus = kontrakt_2025.erhvervshus_id
    assert godkendelse.objekt == "1. halvår 2025, Erhvervshus Sjælland: version 1"
    assert godkendelse.url == f"/status/?hus={hus}&aar=2025&periode=H1&version=1"
    assert ("Godkendt", "–", "01-07-2025 10:00") in godkendelse.felter
    assert "Godkendt indhold" not in {f for f, _, _ in godkendelse.felter}
    assert forklaring.url == f"/status/maal/7/?hus={hus}&aar=2025&periode=H1"


def test_an_export_too_large_is_refused_with_how_to_narrow_it(client, historie, administrator,
                                                              monkeypatch):
    monkeypatch.setattr(views_revision, "EKSPORT_MAKS", 3)
    client.force_login(administrator)
    svar = client.get(EKSPORT)
    assert svar.status_code == 400
    assert (f"Udtrækket har {revision.antal()} ændringer; eksporten tager højst 3 ad gangen. "
            "Afgræns med datoerne eller de andre filtre.") in tekst(svar)
    assert client.get(EKSPORT, {"art": "maal.maaling"}).status_code == 200
