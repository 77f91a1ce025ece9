"""The national picture: the houses compared on goals 1–6, Mål 1 against each house's share of
the national target, the role National læser, and the yearly report workbooks."""

import io
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from forloeb.models import Kommune
from maal.models import Erhvervshus, Indikator, Maal, Maalandel, Medlemskab, Resultatkontrakt
from maal.roller import NATIONAL_LAESER, TILDELBARE_ROLLER
from tests import factories as f
from tests.rapporter.test_views_status import tekst

pytestmark = pytest.mark.django_db

KBH = ZoneInfo("Europe/Copenhagen")
IDAG = datetime(2025, 7, 15, 12, 0, tzinfo=KBH)
NATIONAL = "/status/national/"
EXCEL = "/status/national/excel/"
H1 = {"aar": 2025, "periode": "H1"}
HUSE = ["Erhvervshus Fyn", "Erhvervshus Hovedstaden", "Erhvervshus Midtjylland",
        "Erhvervshus Nordjylland", "Erhvervshus Sjælland", "Erhvervshus Sydjylland"]


@pytest.fixture(autouse=True)
def fast_tid():
    with time_machine.travel(IDAG, tick=False):
        yield


@pytest.fixture
def national_laeser(django_user_model):
    bruger = django_user_model.objects.create_user(username="erst", password="hemmeligt-kodeord")
    bruger.groups.add(Group.objects.get(name=NATIONAL_LAESER))
    return bruger


def kopier_til(kilde: Resultatkontrakt, hus: Erhvervshus, **m1) -> Resultatkontrakt:
    """``kilde``'s goals and indicators as ``hus``'s contract for the same year (by hand:
    ``kontrakt_kopier`` copies across years)."""
    kopi = Resultatkontrakt.objects.create(erhvervshus=hus, aar=kilde.aar,
                                           modpart=f"KKR {hus.region.navn.removeprefix('Region ')}")
    for maal in kilde.maal.prefetch_related("indikatorer"):
        indikatorer = list(maal.indikatorer.all())
        maal.pk, maal.kontrakt = None, kopi
        maal.save()
        for ind in indikatorer:
            ind.pk, ind.maal = None, maal
            if ind.noegle == "M1.ivaerksaettere":
                for felt, vaerdi in m1.items():
                    setattr(ind, felt, vaerdi)
            ind.save()
    return kopi


def ivaerksaettere(hus: Erhvervshus, antal: int) -> None:
    """``antal`` companies under three years old, each with a forløb finished in H1 2025 in
    ``hus``; and one older company's forløb, which Mål 1 does not count."""
    for _ in range(antal):
        f.forloeb(virksomhed_=f.virksomhed(stiftelsesdato=date(2024, 1, 1)), erhvervshus_=hus,
                  startdato=date(2025, 2, 1), slutdato=date(2025, 3, 1))
    f.forloeb(virksomhed_=f.virksomhed(), erhvervshus_=hus, startdato=date(2025, 2, 1),
              slutdato=date(2025, 3, 1))


@pytest.fixture
def to_huse(kontrakt_2025):
    """Sjælland (the 2025 contract) with 3 iværksættere, Hovedstaden (a copy, Mål 1 ≥ 385) with
    2; the four other houses have no contract."""
    hovedstaden = Erhvervshus.objects.get(navn="Erhvervshus Hovedstaden")
    kopier_til(kontrakt_2025, hovedstaden, maalvaerdi=Decimal(385))
    ivaerksaettere(kontrakt_2025.erhvervshus, 3)
    ivaerksaettere(hovedstaden, 2)
    return kontrakt_2025.erhvervshus, hovedstaden


def m1_raekke(html: str, hus: str) -> str:
    tabel = re.search(r'<table[^>]*id="m1-tabel".*?</table>', html, flags=re.S).group(0)
    for tr in re.findall(r"<tr.*?</tr>", tabel, flags=re.S):
        if f'data-hus="{hus}"' in tr:
            return tekst(tr)
    raise AssertionError(f"Ingen række for {hus}")


def celle(html: str, noegle: str, hus: str) -> str:
    tabel = re.search(r'<table[^>]*id="national-tabel".*?</table>', html, flags=re.S).group(0)
    tr = re.search(rf'<tr data-noegle="{re.escape(noegle)}">.*?</tr>', tabel, flags=re.S).group(0)
    td = re.search(rf'<td class="tal" data-hus="{hus}">(.*?)</td>', tr, flags=re.S).group(1)
    return tekst(td)


# --- Reference data --------------------------------------------------------------------------


def test_the_six_houses_ship_with_their_regions_kommuner_and_shares():
    huse = {h.navn: h for h in Erhvervshus.objects.prefetch_related("kommuner")}
    assert sorted(huse) == HUSE
    assert huse["Erhvervshus Fyn"].region_id == huse["Erhvervshus Sydjylland"].region_id == "1083"
    assert huse["Erhvervshus Sjælland"].region_id == "1085"
    antal = {navn: h.kommuner.count() for navn, h in huse.items()}
    assert antal == {"Erhvervshus Fyn": 10, "Erhvervshus Hovedstaden": 29,
                     "Erhvervshus Midtjylland": 19, "Erhvervshus Nordjylland": 11,
                     "Erhvervshus Sjælland": 17, "Erhvervshus Sydjylland": 12}
    assert sum(antal.values()) == Kommune.objects.count() == 98
    assert "Odense" in [k.navn for k in huse["Erhvervshus Fyn"].kommuner.all()]
    andele = {(a.erhvervshus.navn, a.aar): a.maalvaerdi
              for a in Maalandel.objects.select_related("erhvervshus")}
    assert {n: andele[(n, 2024)] for n in HUSE} == {
        "Erhvervshus Hovedstaden": 385, "Erhvervshus Midtjylland": 275,
        "Erhvervshus Sjælland": 171, "Erhvervshus Sydjylland": 156,
        "Erhvervshus Nordjylland": 119, "Erhvervshus Fyn": 94}
    for aar in (2024, 2025, 2026, 2027):
        assert sum(andele[(n, aar)] for n in HUSE) == 1200
        assert all(andele[(n, aar)] == andele[(n, 2024)] for n in HUSE)


def test_the_fixture_loads_onto_the_shipped_sjaelland_house(kontrakt_2025):
    assert Erhvervshus.objects.count() == 6
    assert kontrakt_2025.erhvervshus.navn == "Erhvervshus Sjælland"


def test_an_administrator_may_give_the_role_national_laeser():
    assert NATIONAL_LAESER in TILDELBARE_ROLLER
    perms = {p.codename for p in Group.objects.get(name=NATIONAL_LAESER).permissions.all()}
    assert perms == {"se_national"}


# --- The page --------------------------------------------------------------------------------


def test_the_page_shows_each_house_and_mal_1_against_its_share(client, national_laeser, to_huse):
    client.force_login(national_laeser)
    svar = client.get(NATIONAL, H1)
    assert svar.status_code == 200
    html = svar.content.decode()
    assert "Nationalt overblik: 1. halvår 2025" in tekst(html)
    assert m1_raekke(html, "Erhvervshus Sjælland").startswith(
        "Erhvervshus Sjælland 3 / 171 171 1,8 %")
    assert m1_raekke(html, "Erhvervshus Hovedstaden").startswith(
        "Erhvervshus Hovedstaden 2 / 385 385 0,5 %")
    assert m1_raekke(html, "Erhvervshus Midtjylland") == (
        "Erhvervshus Midtjylland ingen kontrakt 275 – –")
    assert m1_raekke(html, "i alt").startswith(
        "I alt (2 af 6 huse med kontrakt) 5 / 1.200 1.200 0,4 %")
    # goals 1–6, one row per indicator, one column per house
    assert celle(html, "M1.ivaerksaettere", "Erhvervshus Sjælland").startswith("3 / 171 mål ≥ 171")
    assert celle(html, "M1.ivaerksaettere", "Erhvervshus Hovedstaden").startswith(
        "2 / 385 mål ≥ 385")
    assert celle(html, "M1.ivaerksaettere", "Erhvervshus Fyn") == "ingen kontrakt"
    assert "Bagud" in celle(html, "M1.ivaerksaettere", "Erhvervshus Sjælland")
    nationale = set(Indikator.objects.filter(maal__kontrakt__erhvervshus__navn="Erhvervshus "
                                             "Sjælland", maal__niveau=Maal.Niveau.NATIONAL)
                    .values_list("noegle", flat=True))
    vist = set(re.findall(r'<tr data-noegle="([^"]+)"', html))
    assert vist == nationale and "M7.korte" not in vist  # national goals only
    assert "2025–2027 bruger samme tal" in tekst(html)


def test_the_engine_is_asked_per_house_not_per_record(client, national_laeser, to_huse):
    client.force_login(national_laeser)
    with CaptureQueriesContext(connection) as foer:
        client.get(NATIONAL, H1)
    ivaerksaettere(to_huse[0], 10)
    ivaerksaettere(to_huse[1], 10)
    with CaptureQueriesContext(connection) as efter:
        svar = client.get(NATIONAL, H1)
    assert "13 / 171" in m1_raekke(svar.content.decode(), "Erhvervshus Sjælland")
    assert len(efter) == len(foer)


def test_a_kkr_reader_sees_the_page_with_their_own_house_marked(client, kkr_laeser, to_huse):
    Medlemskab.objects.get_or_create(bruger=kkr_laeser, erhvervshus=to_huse[0])
    client.force_login(kkr_laeser)
    html = client.get(NATIONAL, H1).content.decode()
    assert "Erhvervshus Sjælland (dit hus)" in m1_raekke(html, "Erhvervshus Sjælland")
    assert "(dit hus)" not in m1_raekke(html, "Erhvervshus Hovedstaden")


def test_a_bad_year_or_period_is_a_danish_message(client, national_laeser, to_huse):
    client.force_login(national_laeser)
    svar = client.get(NATIONAL, {"aar": 2019})
    assert svar.status_code == 400
    assert "Der er ingen resultatkontrakt for 2019 (kontraktår: 2025)." in tekst(
        svar.content.decode())
    svar = client.get(NATIONAL, {"aar": 2025, "periode": "H3"})
    assert svar.status_code == 400 and "Ukendt periode" in svar.content.decode()


# --- Who may open what -----------------------------------------------------------------------


def test_a_national_reader_sees_the_national_page_and_nothing_else(client, national_laeser,
                                                                   to_huse):
    client.force_login(national_laeser)
    forside = client.get("/")
    assert forside.status_code == 302 and forside["Location"] == NATIONAL
    assert client.get(NATIONAL).status_code == 200
    assert client.get(EXCEL, H1).status_code == 200
    for url in ("/status/", "/status/excel/", "/status/maal/1/", "/status/json/",
                "/registrering/", "/registrering/forloeb/", "/status/datakvalitet/"):
        assert client.get(url).status_code in (403, 404), url
    assert client.get("/registrering/forloeb/").status_code == 403
    assert client.get("/status/").status_code == 403
    html = client.get(NATIONAL).content.decode()
    assert ">Nationalt overblik</a>" in html and 'href="/status/"' not in html


def test_a_registrant_may_not_open_the_national_page(client, registrant, to_huse):
    client.force_login(registrant)
    assert client.get(NATIONAL).status_code == 403
    assert client.get(EXCEL).status_code == 403


# --- The workbooks ---------------------------------------------------------------------------


def _bog(svar):
    assert svar.status_code == 200, svar.content.decode()[:500]
    assert svar["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(svar.content))


def _raekker(ark):
    return [list(r) for r in ark.iter_rows(values_only=True)]


def test_the_national_workbook_has_an_overview_and_a_sheet_per_house(client, national_laeser,
                                                                     to_huse):
    client.force_login(national_laeser)
    html = client.get(NATIONAL, H1).content.decode()
    svar = client.get(EXCEL, H1)
    assert 'filename="nationalt-overblik-2025-H1.xlsx"' in svar["Content-Disposition"]
    bog = _bog(svar)
    assert bog.sheetnames == ["Oversigt", *HUSE]
    raekker = _raekker(bog["Oversigt"])
    m1 = {r[0]: r[1:4] for r in raekker if r and r[0] in HUSE}
    # the overview's figures are the page's
    assert m1["Erhvervshus Sjælland"] == [3, 171, pytest.approx(3 / 171)]
    assert m1["Erhvervshus Hovedstaden"] == [2, 385, pytest.approx(2 / 385)]
    assert m1["Erhvervshus Midtjylland"][0] == "ingen kontrakt"
    assert "3 / 171" in m1_raekke(html, "Erhvervshus Sjælland")
    i_alt = next(r for r in raekker if r and str(r[0]).startswith("I alt"))
    assert i_alt[1:3] == [5, 1200]
    hoved = next(r for r in raekker if r and r[:4] == ["Mål", "Nøgle", "Indikator", "Enhed"])
    m1_linje = next(r for r in raekker if r and r[1] == "M1.ivaerksaettere")
    vaerdier = dict(zip(hoved, m1_linje, strict=True))
    assert vaerdier["Sjælland"] == 3 and vaerdier["Hovedstaden"] == 2
    assert vaerdier["Fyn"] == "ingen kontrakt"
    assert "Bagud" in vaerdier["Sjælland: status"]
    # a sheet per house: its national and its local indicators
    sjaelland = _raekker(bog["Erhvervshus Sjælland"])
    noegler = [r[2] for r in sjaelland if r and len(r) > 2]
    assert "M1.ivaerksaettere" in noegler and "M7.korte" in noegler
    assert ["Nationale mål"] in [[c for c in r if c is not None] for r in sjaelland]
    assert ["Lokale mål"] in [[c for c in r if c is not None] for r in sjaelland]
    assert _raekker(bog["Erhvervshus Fyn"])[1][0] == "Ingen resultatkontrakt for 2025."


def test_a_house_workbook_has_its_national_and_local_goals_and_no_registrations(
    client, national_laeser, to_huse
):
    client.force_login(national_laeser)
    hovedstaden = to_huse[1]
    svar = client.get(EXCEL, {**H1, "hus": hovedstaden.pk})
    assert 'filename="resultatkontrakt-hovedstaden-2025-H1.xlsx"' in svar["Content-Disposition"]
    bog = _bog(svar)
    assert bog.sheetnames[0] == "Oversigt" and "Mål 1" in bog.sheetnames
    assert "Mål 15" in bog.sheetnames and "Forloeb" not in bog.sheetnames
    tekster = [c for r in _raekker(bog["Oversigt"]) for c in r if c is not None]
    assert "Resultatkontrakt 2025: Erhvervshus Hovedstaden og KKR Hovedstaden" in tekster
    assert "Nationale mål" in tekster and "Lokale mål" in tekster
    midt = Erhvervshus.objects.get(navn="Erhvervshus Midtjylland")
    ingen = client.get(EXCEL, {**H1, "hus": midt.pk})
    assert ingen.status_code == 400
    assert "Erhvervshuset har ingen resultatkontrakt for 2025." in ingen.content.decode()


def test_a_house_workbook_counts_a_fyrtaarns_tagged_records_and_names_no_company(
    client, national_laeser, to_huse
):
    """The house's own report lists the forløb tagged Femern with company and CVR; what KL and
    Erhvervsstyrelsen download counts them."""
    sjaelland, _ = to_huse
    virksomhed = f.virksomhed(navn="Femern Fragt ApS")
    f.forloeb(ekstern_id="FEM-1", virksomhed_=virksomhed, startdato=date(2025, 3, 1),
              fyrtaarn="femern")
    client.force_login(national_laeser)
    raekker = _raekker(_bog(client.get(EXCEL, {**H1, "hus": sjaelland.pk}))["Mål 15"])
    tekster = [c for r in raekker for c in r if c is not None]
    assert ["Forløb i perioden", 1] in [[c for c in r if c is not None] for r in raekker]
    assert "Posterne selv står i husets egen rapport." in tekster
    assert "FEM-1" not in tekster and "Femern Fragt ApS" not in tekster
    assert virksomhed.cvr not in tekster


def test_the_command_writes_the_national_workbook(tmp_path, to_huse):
    fil = tmp_path / "national.xlsx"
    ud = io.StringIO()
    call_command("national_rapport", "--aar", "2025", "--periode", "H1", "-o", str(fil),
                 stdout=ud)
    assert "1. halvår 2025" in ud.getvalue()
    bog = load_workbook(fil)
    assert bog.sheetnames == ["Oversigt", *HUSE]
    hus = tmp_path / "hus.xlsx"
    call_command("national_rapport", "--aar", "2025", "--periode", "H1", "-o", str(hus),
                 "--erhvervshus", "erhvervshus hovedstaden", stdout=io.StringIO())
    assert "Mål 1" in load_workbook(hus).sheetnames
    with pytest.raises(CommandError) as fejl:
        call_command("national_rapport", "--aar", "2019", "-o", str(fil))
    assert fejl.value.returncode == 2
    assert str(fejl.value) == "Der er ingen resultatkontrakt for 2019 (kendte år: 2025)."


def test_an_approved_house_shows_its_approved_figures_marked(client, national_laeser, to_huse,
                                                            administrator):
    from rapporter.godkendelse import forklaring_gem, godkend

    sjaelland, _ = to_huse
    kontrakt = Resultatkontrakt.objects.get(erhvervshus=sjaelland, aar=2025)
    for maal in kontrakt.maal.all():
        forklaring_gem(maal=maal, periode="H1", tekst=f"Status for mål {maal.nummer}.",
                       bruger=administrator)
    godkend(kontrakt=kontrakt, periode="H1", bruger=administrator, idag=IDAG.date())
    client.force_login(national_laeser)
    godkendt = m1_raekke(client.get(NATIONAL, H1).content.decode(), "Erhvervshus Sjælland")
    f.forloeb(virksomhed_=f.virksomhed(stiftelsesdato=date(2024, 1, 1)), erhvervshus_=sjaelland,
              startdato=date(2025, 2, 1), slutdato=date(2025, 3, 1), bruger=administrator,
              aarsag="Registreret for sent")
    html = client.get(NATIONAL, H1).content.decode()
    assert m1_raekke(html, "Erhvervshus Sjælland") == godkendt  # as approved, not recounted
    assert "✔ godkendt" in godkendt
    assert "✔ godkendt" not in m1_raekke(html, "Erhvervshus Hovedstaden")
    foer = int(godkendt.split()[2])
    aktuel = client.get(NATIONAL, {**H1, "aktuel": 1}).content.decode()
    assert m1_raekke(aktuel, "Erhvervshus Sjælland").split()[2] == str(foer + 1)


def test_an_administrator_edits_a_share_in_the_admin_with_history(client, administrator):
    andel = Maalandel.objects.get(erhvervshus__navn="Erhvervshus Fyn", aar=2026)
    client.force_login(administrator)
    assert client.get("/admin/maal/maalandel/").status_code == 200
    svar = client.post(f"/admin/maal/maalandel/{andel.pk}/change/", {
        "erhvervshus": andel.erhvervshus_id, "aar": 2026, "noegle": "M1.ivaerksaettere",
        "maalvaerdi": "96", "kilde": "KL, ny fordeling 2026",
    })
    assert svar.status_code == 302, svar.content.decode()[:1000]
    andel.refresh_from_db()
    assert andel.maalvaerdi == 96
    # the migration writes no history; the edit does, with who made it
    assert andel.history.first().history_user == administrator
    assert andel.history.first().maalvaerdi == 96
