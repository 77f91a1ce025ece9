"""The reads behind the registration screens: the search, which ignores the case of every letter
(æ, ø and å too) on SQLite and PostgreSQL alike and knows a CVR however it is written."""

import pytest

from forloeb import selectors
from forloeb.models import Virksomhed
from tests import factories

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
