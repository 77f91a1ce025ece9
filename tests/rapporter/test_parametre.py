"""Every parameter is honoured or refused (STYLE.md, rule 11).

An indicator built with each allowed value of ``grundlag``, ``kategori`` and
``henvist_til_aktoertyper`` gives the figure a person counting the records below by hand reaches,
and its drill-down lists exactly those records. Each combination the code would not honour is
refused when the indicator is saved in the admin, with a Danish message, and nothing changes.

The records, all finished in H1 2025 unless said (population of Region Sjælland 2023: land
227,172 of 849,857 = 26.73 %, by 73.27 %):

- A (Slagelse, by): A1 handlingsplan referred to Innovationsfonden (statslig); A2 kort.
- B (Odsherred, land): B1 handlingsplan referred to Lokal erhvervsservice Slagelse (lokal);
  B2 handlingsplan referred to a private adviser.
- C (Roskilde, by): C1 vækstplan, no referral.
- Not counted: D1 (Slagelse) finished in August, referred to Innovationsfonden; E1 igangværende,
  referred to Innovationsfonden.
"""

import html
import json
import re
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from forloeb import services
from forloeb.models import Aktoer
from maal.models import Indikator, Maal
from maal.parametre import GRUNDLAG_ANTAL, SKEMAER
from rapporter.beregning import Periode
from rapporter.resultater import indikator_resultater, rapport_for
from rapporter.selectors import I_ALT, henviste_forloeb, indikator_poster
from tests import factories as f

H1 = Periode.h1(2025)
IDAG = date(2025, 7, 15)
START = date(2025, 1, 10)


@pytest.fixture
def poster(kontrakt_2025):
    privat = services.aktoer_create(navn="Rådgiver Test ApS", type=Aktoer.Type.PRIVAT)
    a = f.virksomhed(kommune="330", navn="A")
    b = f.virksomhed(kommune="306", navn="B")
    c = f.virksomhed(kommune="265", navn="C")
    d = f.virksomhed(kommune="330", navn="D")
    f.forloeb(ekstern_id="A1", virksomhed_=a, type="handlingsplan", startdato=START,
              slutdato=date(2025, 3, 1), henvist_til=["Innovationsfonden"])
    f.forloeb(ekstern_id="A2", virksomhed_=a, type="kort", startdato=START,
              slutdato=date(2025, 4, 1))
    f.forloeb(ekstern_id="B1", virksomhed_=b, type="handlingsplan", startdato=START,
              slutdato=date(2025, 3, 10), henvist_til=["Lokal erhvervsservice Slagelse"])
    b2 = f.forloeb(ekstern_id="B2", virksomhed_=b, type="handlingsplan", startdato=START,
                   slutdato=date(2025, 5, 1))
    services.henvisning_create(forloeb=b2, aktoer=privat, dato=START)
    f.forloeb(ekstern_id="C1", virksomhed_=c, type="vaekstplan", startdato=START,
              slutdato=date(2025, 2, 1))
    f.forloeb(ekstern_id="D1", virksomhed_=d, type="handlingsplan", startdato=START,
              slutdato=date(2025, 8, 1), henvist_til=["Innovationsfonden"])
    f.forloeb(ekstern_id="E1", type="handlingsplan", startdato=START,
              henvist_til=["Innovationsfonden"])
    return kontrakt_2025


def indikator(kontrakt, art, enhed, parametre, noegle="M10.test") -> Indikator:
    """A new indicator on goal 10, checked as the admin checks it."""
    ny = Indikator(
        maal=Maal.objects.get(kontrakt=kontrakt, nummer=10), noegle=noegle, titel="Test",
        art=art, enhed=enhed, maalvaerdi=10, retning="lte" if art == "fordeling" else "gte",
        parametre=parametre, raekkefoelge=99,
    )
    ny.full_clean()
    ny.save()
    return ny


def resultat(kontrakt, noegle="M10.test"):
    return next(r for r in indikator_resultater(kontrakt, H1, idag=IDAG) if r.noegle == noegle)


def synligt(svar) -> str:
    """The page's text as a reader sees it: no tags, one space between words."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", svar.content.decode())).split())


def navne(qs) -> list[str]:
    """Forløb by their id, companies by their name."""
    return sorted(getattr(p, "ekstern_id", None) or p.navn for p in qs)


STATSLIG_PRIVAT = ["statslig", "privat"]


@time_machine.travel(IDAG, tick=False)
@pytest.mark.parametrize(("parametre", "taeller", "naevner", "faktisk"), [
    # of the 5 forløb of H1, A1 (statslig) and B2 (privat) are referred: 2 of 5
    ({"grundlag": "forloeb", "henvist_til_aktoertyper": STATSLIG_PRIVAT},
     ["A1", "B2"], ["A1", "A2", "B1", "B2", "C1"], 40.0),
    # only B1 is referred to a lokal erhvervsservice
    ({"grundlag": "forloeb", "henvist_til_aktoertyper": ["lokal"]},
     ["B1"], ["A1", "A2", "B1", "B2", "C1"], 20.0),
    # the handlingsplaner A1, B1, B2; of them A1 and B2: 66.7 %
    ({"grundlag": "forloeb", "forloebstyper": ["handlingsplan"],
      "henvist_til_aktoertyper": STATSLIG_PRIVAT}, ["A1", "B2"], ["A1", "B1", "B2"], 66.7),
    # the companies A, B, C; A (through A1) and B (through B2) are referred
    ({"grundlag": "virksomheder", "henvist_til_aktoertyper": STATSLIG_PRIVAT},
     ["A", "B"], ["A", "B", "C"], 66.7),
    ({"grundlag": "virksomheder", "henvist_til_aktoertyper": ["lokal"]},
     ["B"], ["A", "B", "C"], 33.3),
    # a company with a kort forløb: only A (A2), whose kort forløb was not referred
    ({"grundlag": "virksomheder", "forloebstyper": ["kort"],
      "henvist_til_aktoertyper": STATSLIG_PRIVAT}, [], ["A"], 0.0),
])
def test_andel_counts_what_its_parameters_say(poster, parametre, taeller, naevner, faktisk):
    ny = indikator(poster, "andel", "procent", parametre)
    r = resultat(poster)
    assert (r.taeller, r.naevner, r.faktisk) == (len(taeller), len(naevner), faktisk)
    assert navne(indikator_poster(ny, H1, "taeller")) == taeller
    assert navne(indikator_poster(ny, H1, "naevner")) == naevner
    # the referral table's "i alt" row is the indicator's figure, its records the same
    assert navne(henviste_forloeb(ny, H1, I_ALT)) == taeller


@time_machine.travel(IDAG, tick=False)
@pytest.mark.parametrize(("parametre", "taeller", "naevner", "andel", "befolkning", "faktisk"), [
    # companies: B of A, B, C is in a landkommune, 33.33 % against 26.73 %
    ({"grundlag": "virksomheder", "kategori": "land"}, ["B"], ["A", "B", "C"], 33.3, 26.7, 6.6),
    ({"grundlag": "virksomheder", "kategori": "by"}, ["A", "C"], ["A", "B", "C"], 66.7, 73.3,
     6.6),
    # forløb: B1, B2 of the five are in a landkommune, 40 % against 26.73 %
    ({"grundlag": "forloeb", "kategori": "land"}, ["B1", "B2"], ["A1", "A2", "B1", "B2", "C1"],
     40.0, 26.7, 13.3),
    ({"grundlag": "forloeb", "kategori": "by"}, ["A1", "A2", "C1"],
     ["A1", "A2", "B1", "B2", "C1"], 60.0, 73.3, 13.3),
])
def test_fordeling_counts_what_its_parameters_say(
    poster, parametre, taeller, naevner, andel, befolkning, faktisk
):
    ny = indikator(poster, "fordeling", "procentpoint", parametre)
    r = resultat(poster)
    kategori = parametre["kategori"]
    assert (r.taeller, r.naevner, r.faktisk) == (len(taeller), len(naevner), faktisk)
    assert navne(indikator_poster(ny, H1, "taeller")) == taeller
    assert navne(indikator_poster(ny, H1, "naevner")) == naevner
    # the JSON report names the figures after the category (andel_land is KONTRAKT-2025.md's)
    post = next(p for p in rapport_for(
        poster, H1, idag=IDAG, beregnet=datetime(2025, 7, 15, 12, 0).astimezone()).som_json()[
        "indikatorer"] if p["noegle"] == "M10.test")
    assert (post[f"andel_{kategori}"], post[f"befolkningsandel_{kategori}"]) == (
        andel, befolkning)
    anden = {"land": "by", "by": "land"}[kategori]
    assert f"andel_{anden}" not in post


@time_machine.travel(IDAG, tick=False)
def test_the_goal_page_and_json_follow_kategori_by(poster, laeser_klient):
    indikator(poster, "fordeling", "procentpoint", {"grundlag": "virksomheder", "kategori": "by"})
    svar = laeser_klient.get(reverse("rapporter:maal", args=[10]), {"aar": 2025, "periode": "H1"})
    assert svar.status_code == 200
    side = synligt(svar)
    assert "Vejledte i bykommuner af alle" in side
    assert "Bykommunernes andel af vejledte 66,7 %" in side
    assert "Bykommunernes andel af befolkningen 73,3 %" in side
    data = json.loads(laeser_klient.get(
        reverse("rapporter:json"), {"aar": 2025, "periode": "H1", "aktuel": 1}
    ).content)
    post = next(p for p in data["indikatorer"] if p["noegle"] == "M10.test")
    assert (post["andel_by"], post["befolkningsandel_by"], post["faktisk"]) == (66.7, 73.3, 6.6)
    m8 = next(p for p in data["indikatorer"] if p["noegle"] == "M8.by_land")
    assert (m8["andel_land"], m8["befolkningsandel_land"]) == (33.3, 26.7)


@time_machine.travel(IDAG, tick=False)
def test_the_referral_table_chart_and_drill_down_follow_the_indicators_aktoer_types(
    poster, laeser_klient
):
    indikator(poster, "andel", "procent",
              {"grundlag": "forloeb", "henvist_til_aktoertyper": ["lokal"]})
    svar = laeser_klient.get(reverse("rapporter:maal", args=[10]), {"aar": 2025, "periode": "H1"})
    side = svar.content.decode()
    diagram = json.loads(
        side.split('<script id="figur-M10-test" type="application/json">')[1].split("</script>")[0]
    )["data"][0]
    assert dict(zip(diagram["y"], diagram["x"], strict=True))["I alt: lokal erhvervsservice"] == 20
    url = reverse("rapporter:poster", args=["M10.test"])
    assert f"{url}?aar=2025&amp;periode=H1&amp;aktoertype=i_alt" in side
    drill = laeser_klient.get(url, {"aar": 2025, "periode": "H1", "aktoertype": "i_alt"})
    assert "mindst én henvisning til lokal erhvervsservice: 1" in synligt(drill)
    assert ">B1<" in drill.content.decode() and ">A1<" not in drill.content.decode()


# --- Refused when the indicator is saved --------------------------------------------------------


def _formular(i: Indikator, **aendret) -> dict:
    data = {
        "maal": i.maal_id, "noegle": i.noegle, "titel": i.titel, "art": i.art,
        "maalvaerdi": "" if i.maalvaerdi is None else str(i.maalvaerdi), "retning": i.retning,
        "enhed": i.enhed, "datakilde": i.datakilde, "regel": i.regel,
        "parametre": json.dumps(i.parametre), "raekkefoelge": i.raekkefoelge,
    }
    data.update(aendret)
    return data


REFUSED = [
    *[("M10.henvist_handlingsplan", {"grundlag": g, "henvist_til_aktoertyper": ["statslig"]},
       f"Grundlaget '{g}' kan ikke bruges for arten 'andel': en andel tæller henvisninger, og "
       "kun forløb har henvisninger. Brug 'forloeb' eller 'virksomheder'.")
      for g in sorted(GRUNDLAG_ANTAL - SKEMAER["andel"].grundlag)],
    *[("M8.by_land", {"grundlag": g, "kategori": "land"},
       f"Grundlaget '{g}' kan ikke bruges for arten 'fordeling': fordelingen opgøres på de "
       "vejledte virksomheders kommune. Brug 'forloeb' eller 'virksomheder'.")
      for g in sorted(GRUNDLAG_ANTAL - SKEMAER["fordeling"].grundlag)],
    ("M8.by_land", {"grundlag": "virksomheder", "kategori": "forstad"},
     "'forstad' er ikke en kendt værdi for 'kategori' (kendte: by, land)."),
    ("M8.by_land", {"grundlag": "virksomheder", "kategori": ["land", "by"]},
     "'kategori' skal være én værdi, ikke en liste."),
    ("M8.by_land", {"grundlag": "virksomheder", "kategori": "land", "forloebstyper": ["kort"]},
     "Parameteren 'forloebstyper' bruges ikke af indikatorer af arten 'fordeling'."),
    ("M10.henvist_handlingsplan", {"grundlag": "forloeb", "henvist_til_aktoertyper": []},
     "'henvist_til_aktoertyper' skal være en liste med mindst én værdi, f.eks. [\"anden\"]."),
    ("M10.henvist_handlingsplan", {"grundlag": "forloeb", "henvist_til_aktoertyper": "privat"},
     "'henvist_til_aktoertyper' skal være en liste med mindst én værdi, f.eks. [\"anden\"]."),
    ("M10.henvist_handlingsplan", {"grundlag": "forloeb"},
     "Parameteren 'henvist_til_aktoertyper' skal angives for arten 'andel'."),
    ("M10.henvist_handlingsplan", {"grundlag": "forloeb", "henvist_til_aktoertyper": ["privat"],
                                   "region": "1084"},
     "Parameteren 'region' bruges ikke af indikatorer af arten 'andel'."),
    ("M10.lokale_operatoerer", {"aktoertype": "lokal", "aktivitetstype": "faelles_aktivitet",
                                "maal_alle": "ja"},
     "'maal_alle' skal være true eller false."),
    ("M1.ivaerksaettere", {"grundlag": "virksomheder", "ivaerksaetter": 1},
     "'ivaerksaetter' skal være true eller false."),
    ("M12.hovedstaden", {"grundlag": "virksomheder", "region": "1999"},
     "'1999' er ikke en kendt regionskode (kendte: 1081, 1082, 1083, 1084, 1085)."),
    ("M7.korte", {"grundlag": "ai_tjek", "forloebstyper": ["kort"]},
     "Parameteren 'forloebstyper' kan ikke bruges med grundlaget 'ai_tjek'."),
    ("M7.korte", {"grundlag": "kunder"},
     "Grundlaget 'kunder' kan ikke bruges for arten 'antal'. Brug 'ai_tjek', 'aktiviteter', "
     "'forloeb', 'programdeltagelser', 'samarbejdsaftaler' eller 'virksomheder'."),
]


@pytest.mark.parametrize(("noegle", "parametre", "besked"), REFUSED)
def test_the_admin_refuses_a_parameter_the_code_would_not_honour(
    kontrakt_2025, client, administrator, noegle, parametre, besked
):
    client.force_login(administrator)
    i = Indikator.objects.get(noegle=noegle)
    foer = i.parametre
    svar = client.post(reverse("admin:maal_indikator_change", args=[i.pk]),
                       _formular(i, parametre=json.dumps(parametre)))
    assert svar.status_code == 200  # the form again, with the message by the field
    assert besked in html.unescape(svar.content.decode())
    i.refresh_from_db()
    assert i.parametre == foer


def test_the_admin_saves_an_allowed_combination(kontrakt_2025, client, administrator):
    client.force_login(administrator)
    i = Indikator.objects.get(noegle="M8.by_land")
    svar = client.post(reverse("admin:maal_indikator_change", args=[i.pk]),
                       _formular(i, parametre=json.dumps({"grundlag": "forloeb",
                                                          "kategori": "by"})))
    assert svar.status_code == 302
    i.refresh_from_db()
    assert i.parametre == {"grundlag": "forloeb", "kategori": "by"}
