"""The seven registration lists: every filter of every list, sorting, 50 rows a page, and a query
count that does not grow with the number of records."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forloeb import services
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
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus


def HUS():  # noqa: N802
    """Erhvervshus Sjælland's id, for records built without the services."""
    from tests.factories import erhvervshus

    return erhvervshus().pk

pytestmark = pytest.mark.django_db

TRAEF, FORBI = "TRAEF-1", "FORBI-1"
CVR_TRAEF = factories.gyldigt_cvr(700)
FEB, MAR, AUG = date(2025, 2, 1), date(2025, 3, 1), date(2025, 8, 1)


# --- One record per call, named by ``ident`` so the list shows whether it is there -------------


def _virksomhed(ident, kommune="330", cvr=None, bruger=None):
    return services.virksomhed_create(
        cvr=cvr or factories.gyldigt_cvr(800 + len(Virksomhed.objects.all())),
        navn=f"Virksomhed {ident}", kommune=kommune, stiftelsesdato=date(2010, 1, 1),
        bruger=bruger,
    )


def forloeb(ident, *, kommune="330", cvr=None, bruger=None, henvist_til=(), **felter):
    felter = {"type": "kort", "startdato": FEB, "slutdato": MAR, **felter}
    return services.forloeb_create(erhvervshus=sjaelland_hus(),
        virksomhed=_virksomhed(ident, kommune, cvr), ekstern_id=ident, bruger=bruger,
        henvisninger=[{"aktoer": Aktoer.objects.get(navn=n), "dato": FEB} for n in henvist_til],
        **felter,
    )


def virksomhed(ident, *, kommune="330", cvr=None, bruger=None, forloeb=None):
    v = _virksomhed(ident, kommune, cvr, bruger)
    if forloeb is not None:
        services.forloeb_create(erhvervshus=sjaelland_hus(),
                                virksomhed=v, **{"type": "kort", "startdato": FEB, **forloeb})
    return v


def henvisning(ident, *, aktoer="Innovationsfonden", **felter):
    return forloeb(ident, henvist_til=[aktoer], **felter)


def ai_tjek(ident, *, kommune="330", cvr=None, bruger=None, **felter):
    return services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                                   virksomhed=_virksomhed(ident, kommune, cvr), ekstern_id=ident,
                                   bruger=bruger, **{"dato": MAR, **felter})


def aktivitet(ident, *, partnere=(), **felter):
    return services.aktivitet_create(erhvervshus=sjaelland_hus(),
        titel=ident, ekstern_id=ident, partnere=Aktoer.objects.filter(navn__in=partnere),
        **{"type": "event", "dato": MAR, **felter},
    )


def programdeltagelse(ident, *, kommune="330", cvr=None, bruger=None, **felter):
    return services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
        virksomhed=_virksomhed(ident, kommune, cvr), bruger=bruger,
        **{"program": "smv_vaekstpilot", "status": "ansoegt", "dato": MAR, **felter},
    )


def samarbejdsaftale(ident, *, klynge=None, **felter):
    klynge = klynge or ("CLEAN" if ident == TRAEF else "BLOXHUB")  # one aftale a klynge a day
    return services.samarbejdsaftale_create(erhvervshus=sjaelland_hus(),
        aktoer=Aktoer.objects.get(navn=klynge), beskrivelse=ident, **{"dato": MAR, **felter}
    )


BYGGERE = {"forloeb": forloeb, "virksomhed": virksomhed, "henvisning": henvisning,
           "ai_tjek": ai_tjek, "aktivitet": aktivitet, "programdeltagelse": programdeltagelse,
           "samarbejdsaftale": samarbejdsaftale}

MIG = "mig"  # stands for the logged-in registrant in a case's keyword arguments

# (list, query, the record that must be shown, the record that must not)
FILTRE = [
    ("forloeb", {"soeg": CVR_TRAEF}, {"cvr": CVR_TRAEF}, {}),
    ("forloeb", {"soeg": "virksomhed traef"}, {}, {}),
    ("forloeb", {"fra": "2025-01-01", "til": "2025-06-30"}, {"slutdato": MAR},
     {"slutdato": AUG}),
    ("forloeb", {"fra": "2025-01-01"}, {"slutdato": MAR}, {"slutdato": None}),
    ("forloeb", {"type": "handlingsplan"}, {"type": "handlingsplan"}, {"type": "kort"}),
    ("forloeb", {"status": "igangvaerende"}, {"slutdato": None}, {"slutdato": MAR}),
    ("forloeb", {"status": "gennemfoert"}, {"slutdato": MAR}, {"slutdato": None}),
    ("forloeb", {"kommune": "259"}, {"kommune": "259"}, {"kommune": "330"}),
    ("forloeb", {"region": "1084"}, {"kommune": "101"}, {"kommune": "259"}),
    ("forloeb", {"raadgiver": "Bo Madsen"}, {"raadgiver": "Bo Madsen"},
     {"raadgiver": "Anne Holm"}),
    ("forloeb", {"emne": "ai"}, {"emner": ["ai", "eksport"]}, {"emner": ["eksport"]}),
    ("forloeb", {"fyrtaarn": "femern"}, {"fyrtaarn": "femern"}, {"fyrtaarn": ""}),
    ("forloeb", {"mine": "on"}, {"bruger": MIG}, {}),
    ("virksomhed", {"soeg": CVR_TRAEF}, {"cvr": CVR_TRAEF}, {}),
    ("virksomhed", {"fra": "2025-01-01", "til": "2025-06-30"}, {"forloeb": {"slutdato": MAR}},
     {"forloeb": {"slutdato": AUG}}),
    ("virksomhed", {"fra": "2025-01-01", "type": "handlingsplan"},
     {"forloeb": {"slutdato": MAR, "type": "handlingsplan"}},
     {"forloeb": {"slutdato": MAR, "type": "kort"}}),
    ("virksomhed", {"kommune": "259"}, {"kommune": "259"}, {"kommune": "330"}),
    ("virksomhed", {"region": "1084"}, {"kommune": "101"}, {"kommune": "259"}),
    ("virksomhed", {"mine": "on"}, {"bruger": MIG}, {}),
    ("henvisning", {"soeg": "eksportråd"}, {"aktoer": "Eksportrådet"}, {}),
    ("henvisning", {"til": "2025-06-30"}, {"slutdato": MAR}, {"slutdato": AUG}),
    ("henvisning", {"type": "privat"}, {"aktoer": "Revisor Hansen"}, {}),
    ("henvisning", {"forloebstype": "vaekstplan"}, {"type": "vaekstplan"}, {}),
    ("henvisning", {"kommune": "259"}, {"kommune": "259"}, {"kommune": "330"}),
    ("henvisning", {"region": "1084"}, {"kommune": "101"}, {"kommune": "259"}),
    ("henvisning", {"raadgiver": "Bo Madsen"}, {"raadgiver": "Bo Madsen"}, {}),
    ("henvisning", {"mine": "on"}, {"bruger": MIG}, {}),
    ("ai_tjek", {"soeg": CVR_TRAEF}, {"cvr": CVR_TRAEF}, {}),
    ("ai_tjek", {"fra": "2025-02-15", "til": "2025-03-15"}, {"dato": MAR}, {"dato": AUG}),
    ("ai_tjek", {"henvist": "ja"}, {"henvist_af_lokal_erhvervsservice": True}, {}),
    ("ai_tjek", {"henvist": "nej"}, {}, {"henvist_af_lokal_erhvervsservice": True}),
    ("ai_tjek", {"kommune": "259"}, {"kommune": "259"}, {"kommune": "330"}),
    ("ai_tjek", {"region": "1084"}, {"kommune": "101"}, {"kommune": "259"}),
    ("ai_tjek", {"mine": "on"}, {"bruger": MIG}, {}),
    ("aktivitet", {"soeg": "traef"}, {}, {}),
    ("aktivitet", {"fra": "2025-02-15", "til": "2025-03-15"}, {"dato": MAR}, {"dato": AUG}),
    ("aktivitet", {"type": "klyngearrangement"}, {"type": "klyngearrangement"}, {}),
    ("aktivitet", {"kommune": "259"}, {"kommuner": ["259", "265"]}, {"kommuner": ["330"]}),
    ("aktivitet", {"region": "1085"}, {"kommuner": ["259", "265"]}, {"kommuner": ["101"]}),
    ("aktivitet", {"partner": "__RUC__"}, {"partnere": ["Roskilde Universitet (RUC)"]},
     {"partnere": ["CLEAN"]}),
    ("aktivitet", {"fyrtaarn": "biosolutions"}, {"fyrtaarn": "biosolutions"}, {}),
    ("aktivitet", {"mine": "on"}, {"bruger": MIG}, {}),
    ("programdeltagelse", {"soeg": CVR_TRAEF}, {"cvr": CVR_TRAEF}, {}),
    ("programdeltagelse", {"fra": "2025-02-15", "til": "2025-03-15"}, {"dato": MAR},
     {"dato": AUG}),
    ("programdeltagelse", {"program": "attraktive_arbejdspladser"},
     {"program": "attraktive_arbejdspladser"}, {}),
    ("programdeltagelse", {"status": "bevilget"}, {"status": "bevilget"}, {}),
    ("programdeltagelse", {"kommune": "259"}, {"kommune": "259"}, {"kommune": "330"}),
    ("programdeltagelse", {"region": "1084"}, {"kommune": "101"}, {"kommune": "259"}),
    ("programdeltagelse", {"mine": "on"}, {"bruger": MIG}, {}),
    ("samarbejdsaftale", {"soeg": "traef"}, {}, {}),
    ("samarbejdsaftale", {"fra": "2025-02-15", "til": "2025-03-15"}, {"dato": MAR},
     {"dato": AUG}),
    ("samarbejdsaftale", {"klynge": "__CLEAN__"}, {"klynge": "CLEAN"}, {"klynge": "BLOXHUB"}),
    ("samarbejdsaftale", {"mine": "on"}, {"bruger": MIG}, {}),
]


def _aktoer_id(vaerdi):
    """'__CLEAN__' in a query is the pk of the aktør named CLEAN."""
    if vaerdi.startswith("__"):
        navn = {"__RUC__": "Roskilde Universitet (RUC)"}.get(vaerdi, vaerdi.strip("_"))
        return str(Aktoer.objects.get(navn=navn).pk)
    return vaerdi


@pytest.mark.parametrize("slug, query, traef, forbi", FILTRE,
                         ids=[f"{s}-{'-'.join(q)}-{n}" for n, (s, q, _, _) in enumerate(FILTRE)])
def test_each_filter_of_each_list(client, registrant, slug, query, traef, forbi):
    if slug == "henvisning" and traef.get("aktoer") == "Revisor Hansen":
        services.aktoer_create(navn="Revisor Hansen", type="privat")
    for ident, felter in ((TRAEF, traef), (FORBI, forbi)):
        felter = {k: registrant if v == MIG else v for k, v in felter.items()}
        BYGGERE[slug](ident, **felter)
    client.force_login(registrant)

    alle = client.get(reverse(f"forloeb:{slug}_liste")).content.decode()
    assert TRAEF in alle and FORBI in alle
    svar = client.get(reverse(f"forloeb:{slug}_liste"),
                      {k: _aktoer_id(v) for k, v in query.items()})
    side = svar.content.decode()
    assert svar.status_code == 200
    assert TRAEF in side
    assert FORBI not in side
    assert "<strong>1</strong>" in side and "passer på filtrene" in side


def test_a_filter_keeps_its_value_on_the_page(client, registrant):
    client.force_login(registrant)
    side = client.get(reverse("forloeb:forloeb_liste"),
                      {"type": "handlingsplan", "fra": "2025-01-01", "mine": "on"}).content.decode()
    assert '<option value="handlingsplan" selected>' in side
    assert 'value="2025-01-01"' in side
    assert 'name="mine" id="id_mine" checked' in side


def test_an_invalid_filter_says_so(client, registrant):
    client.force_login(registrant)
    side = client.get(reverse("forloeb:forloeb_liste"), {"fra": "i går"}).content.decode()
    assert "Et filter er ugyldigt" in side


def test_the_list_sorts_by_a_column_and_says_so(client, registrant):
    forloeb("F-B", raadgiver="Bo")
    forloeb("F-A", raadgiver="Anne")
    client.force_login(registrant)
    url = reverse("forloeb:forloeb_liste")
    stigende = client.get(url, {"sortering": "raadgiver"}).content.decode()
    assert stigende.index("F-A") < stigende.index("F-B")
    assert 'aria-sort="ascending"' in stigende
    faldende = client.get(url, {"sortering": "-raadgiver"}).content.decode()
    assert faldende.index("F-B") < faldende.index("F-A")
    assert 'aria-sort="descending"' in faldende


def test_fifty_rows_a_page(client, registrant):
    v = factories.virksomhed()
    Forloeb.objects.bulk_create(
        Forloeb(erhvervshus_id=HUS(),
                ekstern_id=f"F-{i:03}", virksomhed=v, type="kort", startdato=FEB)
        for i in range(51)
    )
    client.force_login(registrant)
    url = reverse("forloeb:forloeb_liste")
    foerste = client.get(url).content.decode()
    assert foerste.count('href="/registrering/forloeb/') >= 50 and "F-000" not in foerste
    assert "side 1 af 2" in foerste and 'aria-label="Side 2"' in foerste
    anden = client.get(url, {"side": 2}).content.decode()
    assert "F-000" in anden and "side 2 af 2" in anden


# --- Constant query count ----------------------------------------------------------------------


def fyld(fra, til):
    """Records ``fra``..``til``-1 of every kind, with their relations, by bulk_create."""
    aktoerer = list(Aktoer.objects.order_by("pk"))
    klynger = list(Aktoer.objects.filter(type="klynge").order_by("pk"))
    nr = range(fra, til)
    virksomheder = Virksomhed.objects.bulk_create(
        Virksomhed(cvr=f"{30000000 + i}", navn=f"Masse {i}", kommune_id=("259", "101")[i % 2],
                   stiftelsesdato=date(2010, 1, 1)) for i in nr
    )
    dag = [date(2020, 1, 1) + timedelta(days=i) for i in nr]
    forloeb_ = Forloeb.objects.bulk_create(
        Forloeb(erhvervshus_id=HUS(), ekstern_id=f"M-{i}", virksomhed=v, type="kort", startdato=d,
                slutdato=d if i % 3 else None, raadgiver=f"Rådgiver {i % 7}")
        for i, v, d in zip(nr, virksomheder, dag, strict=True)
    )
    Forloeb.emner.through.objects.bulk_create(
        Forloeb.emner.through(forloeb=f, emne_id=e) for f in forloeb_ for e in ("ai", "eksport")
    )
    Henvisning.objects.bulk_create(
        Henvisning(forloeb=f, aktoer=aktoerer[i % len(aktoerer)], dato=f.startdato)
        for i, f in zip(nr, forloeb_, strict=True)
    )
    AITjek.objects.bulk_create(
        AITjek(erhvervshus_id=HUS(), ekstern_id=f"AI-M-{i}", virksomhed=v, dato=d)
        for i, v, d in zip(nr, virksomheder, dag, strict=True)
    )
    aktiviteter = Aktivitet.objects.bulk_create(
        Aktivitet(erhvervshus_id=HUS(),
                  ekstern_id=f"A-M-{i}", type="event", dato=d, titel=f"Møde {i}")
        for i, d in zip(nr, dag, strict=True)
    )
    Aktivitet.partnere.through.objects.bulk_create(
        Aktivitet.partnere.through(aktivitet=a, aktoer=aktoerer[i % len(aktoerer)])
        for i, a in zip(nr, aktiviteter, strict=True)
    )
    Aktivitet.kommuner.through.objects.bulk_create(
        Aktivitet.kommuner.through(aktivitet=a, kommune_id=k)
        for a in aktiviteter for k in ("259", "265")
    )
    Programdeltagelse.objects.bulk_create(
        Programdeltagelse(erhvervshus_id=HUS(),
                          virksomhed=v, program="smv_vaekstpilot", status="bevilget", dato=d)
        for v, d in zip(virksomheder, dag, strict=True)
    )
    Samarbejdsaftale.objects.bulk_create(
        Samarbejdsaftale(erhvervshus_id=HUS(), aktoer=klynger[i % len(klynger)], dato=d)
        for i, d in zip(nr, dag, strict=True)
    )


LISTER = [f"forloeb:{s}_liste" for s in BYGGERE]
FORESPOERGSLER = ({}, {"kommune": "259", "fra": "2020-01-01", "sortering": "-dato"})


def test_list_pages_keep_a_constant_query_count_from_10_to_1000_records(
    client, registrant, django_assert_max_num_queries
):
    client.force_login(registrant)
    fyld(0, 10)
    antal = {}
    for url in LISTER:
        for nr, query in enumerate(FORESPOERGSLER):
            with CaptureQueriesContext(connection) as forespoergsler:
                assert client.get(reverse(url), query).status_code == 200
            antal[url, nr] = len(forespoergsler)

    fyld(10, 1000)
    for (url, nr), hoejst in antal.items():
        with django_assert_max_num_queries(hoejst):
            assert client.get(reverse(url), FORESPOERGSLER[nr]).status_code == 200
    assert "side 1 af 20" in client.get(reverse("forloeb:forloeb_liste")).content.decode()


# --- Search: case of æøå, a CVR however written, and a period that ends before it starts -------

# (list, how its record is named "Østergaard …" or given the CVR 95341896)
OESTERGAARD = [
    ("forloeb", lambda: forloeb("F-OE", cvr="95341896")),
    ("virksomhed", lambda: virksomhed("V-OE", cvr="95341896")),
    ("henvisning", lambda: henvisning("H-OE", cvr="95341896")),
    ("ai_tjek", lambda: ai_tjek("AI-OE", cvr="95341896")),
    ("programdeltagelse", lambda: programdeltagelse("P-OE", cvr="95341896")),
]


def _oestergaard(slug, byg):
    """The record named after Østergaard Smedje ApS, next to one of Vestergaard ApS."""
    post = byg()  # a henvisning's builder gives its forløb
    v = post if slug == "virksomhed" else post.virksomhed
    services.opdater(v, navn="Østergaard Smedje ApS")
    BYGGERE[slug]("VEST-1")
    Virksomhed.objects.filter(navn="Virksomhed VEST-1").update(navn="Vestergaard ApS")


@pytest.mark.parametrize("soeg", ["øst", "ØST", "Øst", "smedje østergaard", "9534 1896",
                                  "DK95341896", "DK 9534 1896", "95341896"])
@pytest.mark.parametrize("slug, byg", OESTERGAARD, ids=[s for s, _ in OESTERGAARD])
def test_the_search_of_each_list_ignores_case_and_knows_a_cvr_however_written(
    logget_ind, slug, byg, soeg
):
    _oestergaard(slug, byg)
    side = logget_ind.get(reverse(f"forloeb:{slug}_liste"), {"soeg": soeg}).content.decode()
    assert "Østergaard Smedje ApS" in side and "Vestergaard ApS" not in side
    assert "<strong>1</strong>" in side


@pytest.mark.parametrize("slug, soeg", [("aktivitet", "ØSTERSØ"), ("samarbejdsaftale", "østersø")])
def test_titles_and_descriptions_are_searched_without_regard_to_case(logget_ind, slug, soeg):
    ekstra = {"klynge": "CLEAN"} if slug == "samarbejdsaftale" else {}
    BYGGERE[slug]("Østersø-møde", **ekstra)
    BYGGERE[slug]("Vestkyst-møde")
    side = logget_ind.get(reverse(f"forloeb:{slug}_liste"), {"soeg": soeg}).content.decode()
    assert "Østersø-møde" in side and "Vestkyst-møde" not in side


def test_a_period_that_ends_before_it_starts_is_an_error_next_to_both_dates(logget_ind):
    forloeb("F-MAR", slutdato=MAR)
    svar = logget_ind.get(reverse("forloeb:forloeb_liste"),
                          {"fra": "2025-06-01", "til": "2025-01-31"})
    side = svar.content.decode()
    assert "Et filter er ugyldigt og er ikke brugt" in side
    assert ('<ul class="errorlist" id="id_fra_error"><li>Ligger efter »Gennemført til« '
            "(31-01-2025). Ret en af datoerne.</li></ul>") in side
    assert ('<ul class="errorlist" id="id_til_error"><li>Ligger før »Gennemført fra« '
            "(01-06-2025). Ret en af datoerne.</li></ul>") in side
    assert 'value="2025-06-01"' in side and 'value="2025-01-31"' in side  # kept to correct
    assert "F-MAR" in side  # the dates are left out, not a quietly empty list


@pytest.mark.parametrize("slug", ["virksomhed", "ai_tjek", "aktivitet"])
def test_every_list_refuses_a_reversed_period(logget_ind, slug):
    side = logget_ind.get(reverse(f"forloeb:{slug}_liste"),
                          {"fra": "2025-06-01", "til": "2025-01-31"}).content.decode()
    assert 'id="id_fra_error"' in side and 'id="id_til_error"' in side
    assert "Ret en af datoerne." in side


def test_one_day_is_a_period(logget_ind):
    forloeb("F-MAR", slutdato=MAR)
    side = logget_ind.get(reverse("forloeb:forloeb_liste"),
                          {"fra": "2025-03-01", "til": "2025-03-01"}).content.decode()
    assert "F-MAR" in side and "errorlist" not in side
