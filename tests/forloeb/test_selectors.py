"""The reads behind the registration screens: the search, which ignores the case of every letter
(æ, ø and å too) on SQLite and PostgreSQL alike and knows a CVR however it is written, and a
company's history, which follows a record moved to another company."""

from datetime import date

import pytest

from forloeb import selectors, services
from forloeb.models import Virksomhed
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus

pytestmark = pytest.mark.django_db


@pytest.fixture
def navne():
    for navn in ("Østergaard Smedje ApS", "Grøn Energi ApS", "Ærø Bryghus ApS",
                 "Ålholm Gods ApS", "Vestjysk Træ ApS"):
        factories.virksomhed(navn=navn)


def fundne(tekst, felter=("cvr", "navn")):
    return sorted(Virksomhed.objects.filter(selectors.soeg(felter, tekst))
                  .values_list("navn", flat=True))


@pytest.mark.parametrize("tekst, navn", [
    ("øst", "Østergaard Smedje ApS"), ("ØST", "Østergaard Smedje ApS"),
    ("Øst", "Østergaard Smedje ApS"), ("østergaard SMEDJE", "Østergaard Smedje ApS"),
    ("GRØN", "Grøn Energi ApS"), ("grøn", "Grøn Energi ApS"),
    ("ærø", "Ærø Bryghus ApS"), ("ÆRØ", "Ærø Bryghus ApS"),
    ("ålholm", "Ålholm Gods ApS"), ("ÅLHOLM", "Ålholm Gods ApS"), ("TRÆ", "Vestjysk Træ ApS"),
])
def test_the_search_ignores_the_case_of_every_letter(navne, tekst, navn):
    assert fundne(tekst) == [navn]


def test_a_name_is_found_exactly_before_partly_whatever_the_case(navne):
    factories.virksomhed(navn="Østergaard Smedje ApS Nord")
    eksakt = selectors.virksomheder_med_navn("ØSTERGAARD smedje aps", antal=9)
    assert [v.navn for v in eksakt] == ["Østergaard Smedje ApS"]
    delvis = selectors.virksomheder_med_navn("øSTERGAARD", antal=9)
    assert sorted(v.navn for v in delvis) == ["Østergaard Smedje ApS",
                                              "Østergaard Smedje ApS Nord"]


def test_a_cvr_is_found_however_it_is_written():
    virksomhed = factories.virksomhed(navn="Kalk ApS", cvr="95341896")
    factories.virksomhed(navn="Anden ApS")
    cvr = virksomhed.cvr
    for skrevet in (cvr, f"{cvr[:4]} {cvr[4:]}", f"DK{cvr}", f"DK {cvr[:4]} {cvr[4:]}",
                    f"dk-{cvr}", cvr[:4]):
        assert fundne(skrevet) == ["Kalk ApS"], skrevet
        if len(skrevet) > 4:
            assert selectors.virksomhed_med_cvr(skrevet) == virksomhed, skrevet
    assert selectors.virksomhed_med_cvr("Kalk") is None


def test_a_like_wildcard_in_the_search_is_a_plain_character(navne):
    assert fundne("%") == [] and fundne("_") == []


# --- A company's history ------------------------------------------------------------------------


def test_a_record_moved_to_another_company_shows_on_both(registrant, django_assert_num_queries):
    a = factories.virksomhed(navn="Gammel ApS")
    b = factories.virksomhed(navn="Ny ApS")
    tjek = services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                                   virksomhed=a, dato=date(2025, 3, 1), ekstern_id="AI-9",
                                   bruger=registrant)
    services.opdater(tjek, virksomhed=b, bruger=registrant, aarsag="Forkert virksomhed")

    # company, forløb, henvisninger, AI-tjek, programdeltagelser; the moved-to company; the
    # two companies of the change
    with django_assert_num_queries(8):
        hos_a = selectors.virksomhed_historik(a)
    flyttet = hos_a.poster[0]
    assert (flyttet["handling"], flyttet["genstand"], flyttet["flyttet_til"]) == (
        "Flyttet", "AI-tjek AI-9", b)
    assert (flyttet["bruger"], flyttet["aarsag"]) == (registrant, "Forkert virksomhed")
    assert [p["handling"] for p in hos_a.poster] == ["Flyttet", "Oprettet", "Oprettet"]

    hos_b = selectors.virksomhed_historik(b)
    aendret = hos_b.poster[0]
    assert (aendret["handling"], aendret["genstand"], aendret["flyttet_til"]) == (
        "Ændret", "AI-tjek AI-9", None)
    assert aendret["aendringer"] == [
        ("Virksomhed", f"Gammel ApS ({a.cvr})", f"Ny ApS ({b.cvr})")]


def test_a_forloeb_moved_back_and_forth_lists_every_step_once(registrant):
    a, b = factories.virksomhed(navn="A ApS"), factories.virksomhed(navn="B ApS")
    forloeb = factories.forloeb(virksomhed_=a, ekstern_id="F-9", bruger=registrant)
    services.opdater(forloeb, virksomhed=b, bruger=registrant)
    services.opdater(forloeb, raadgiver="Bo", bruger=registrant)  # at B only
    services.opdater(forloeb, virksomhed=a, bruger=registrant)

    hos_a = [(p["handling"], p["flyttet_til"]) for p in selectors.virksomhed_historik(a).poster]
    assert hos_a == [("Ændret", None), ("Flyttet", b), ("Oprettet", None), ("Oprettet", None)]
    hos_b = [(p["handling"], p["flyttet_til"]) for p in selectors.virksomhed_historik(b).poster]
    assert hos_b == [("Flyttet", a), ("Ændret", None), ("Ændret", None), ("Oprettet", None)]


def test_the_history_gives_the_newest_entries_and_how_many_there_are():
    forloeb = factories.forloeb(ekstern_id="F-1")
    for dag in range(1, 31):
        services.opdater(forloeb, raadgiver=f"Rådgiver {dag}")

    historik = selectors.virksomhed_historik(forloeb.virksomhed, antal=10)
    assert historik.i_alt == 32 and historik.afkortet  # the company, the forløb and 30 changes
    assert len(historik.poster) == 10
    assert historik.poster[0]["aendringer"] == [("Rådgiver", "Rådgiver 29", "Rådgiver 30")]
    assert not selectors.virksomhed_historik(forloeb.virksomhed, antal=32).afkortet
