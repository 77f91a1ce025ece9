"""Every indicator of the 2025 contract on a small hand-made record set, through the database.

Each scenario builds records through the services, with records just outside H1 2025, igangværende
forløb, referrals that must not count and companies outside the region, and states the figure a
person counting by hand would reach. The same test opens the figure (``indikator_poster``) and
checks that it lists exactly the records counted.
"""

from datetime import date
from decimal import Decimal
from functools import partial

import pytest

from forloeb import services
from forloeb.models import (
    AITjek,
    Aktivitet,
    Aktoer,
    Forloeb,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from maal.models import Indikator, Maaling, MilepaelStatus
from maal.services import maaling_create, milepael_status_create
from rapporter.beregning import Periode
from rapporter.resultater import indikator_resultater
from rapporter.selectors import indikator_poster
from tests import factories as f
from tests.factories import erhvervshus as sjaelland_hus

H1 = Periode.h1(2025)
IDAG = date(2025, 7, 15)  # H1 is over: forventet = target × 181 / 365
FOER = date(2024, 12, 1)  # a start date that fits any slutdato used below


def aktoer(navn: str) -> Aktoer:
    return Aktoer.objects.get(navn=navn)


def privat_raadgiver() -> Aktoer:
    return Aktoer.objects.filter(navn="Rådgiver Test ApS").first() or services.aktoer_create(
        navn="Rådgiver Test ApS", type="privat"
    )


def forloeb(eid, type="kort", slut=None, *, start=FOER, virksomhed=None, henvist_til=()):
    return f.forloeb(
        ekstern_id=eid, type=type, startdato=start, slutdato=slut, virksomhed_=virksomhed,
        henvist_til=henvist_til,
    )


def henvis(forloeb_, navn_eller_aktoer, dato):
    aktoer_ = navn_eller_aktoer if isinstance(navn_eller_aktoer, Aktoer) else aktoer(
        navn_eller_aktoer
    )
    services.henvisning_create(forloeb=forloeb_, aktoer=aktoer_, dato=dato)


def virksomhed(navn, kommune="330", stiftet=date(2000, 1, 1)):
    return f.virksomhed(navn=navn, kommune=kommune, stiftelsesdato=stiftet)


# --- Scenarios: build records, return what must be seen ---------------------------------------


def m1_ivaerksaettere(kontrakt):
    ung = date(2024, 1, 1)
    a = virksomhed("A", stiftet=date(2022, 3, 15))
    forloeb("A1", start=date(2025, 3, 14), slut=date(2025, 4, 1), virksomhed=a)  # day before 3 y
    b = virksomhed("B", stiftet=date(2022, 3, 15))
    forloeb("B1", start=date(2025, 3, 15), slut=date(2025, 4, 1), virksomhed=b)  # exactly 3 y: no
    c = virksomhed("C", stiftet=date(2020, 2, 29))
    forloeb("C1", start=date(2023, 2, 28), slut=date(2025, 1, 10), virksomhed=c)  # turns 3 on 1/3
    d = virksomhed("D", stiftet=date(2020, 2, 29))
    forloeb("D1", start=date(2023, 3, 1), slut=date(2025, 1, 10), virksomhed=d)  # 3 years: no
    e = virksomhed("E", stiftet=ung)
    forloeb("E1", start=date(2025, 1, 5), slut=date(2025, 2, 1), virksomhed=e)
    forloeb("E2", start=date(2025, 3, 5), slut=date(2025, 4, 1), virksomhed=e)  # E counts once
    f_ = virksomhed("F", stiftet=ung)
    forloeb("F1", start=date(2025, 3, 5), slut=date(2025, 7, 1), virksomhed=f_)  # after H1
    forloeb("G1", start=date(2025, 3, 5), virksomhed=virksomhed("G", stiftet=ung))  # igangværende
    h = virksomhed("H", stiftet=date(2022, 1, 10))
    forloeb("H1", start=date(2024, 12, 1), slut=date(2025, 2, 1), virksomhed=h)  # young at start
    forloeb("H2", start=date(2025, 2, 1), slut=date(2025, 3, 1), virksomhed=h)  # not young
    i = virksomhed("I", kommune="101", stiftet=ung)  # Region Hovedstaden: no region filter on M1
    forloeb("I1", start=date(2025, 2, 1), slut=date(2025, 5, 1), virksomhed=i)
    j = virksomhed("J", stiftet=ung)
    forloeb("J1", start=date(2024, 2, 1), slut=date(2024, 12, 31), virksomhed=j)  # day before H1
    # A, C, E, H, I = 5; forventet 171 × 181 / 365 = 84.80 → 84.8; 5 / 171 = 0.0292 → 0.029
    return {
        "faktisk": 5.0, "taeller": 5, "forventet": 84.8, "opfyldelse": 0.029, "status": "bagud",
        "poster_taeller": {"A", "C", "E", "H", "I"},
    }


def m7_forloeb(kontrakt):
    v = virksomhed("V")
    forloeb("K1", "kort", date(2025, 1, 1), virksomhed=v)  # first day of H1
    forloeb("K2", "kort", date(2025, 3, 10), virksomhed=v)
    forloeb("K3", "kort", date(2025, 6, 30), virksomhed=v)  # last day of H1
    forloeb("K4", "kort", date(2025, 7, 1), virksomhed=v)  # the day after
    forloeb("K5", "kort", date(2024, 12, 31), virksomhed=v)  # the day before
    forloeb("K6", "kort", None, virksomhed=v)  # igangværende
    # the house's own forløb count wherever the company is
    forloeb("K7", "kort", date(2025, 4, 1), virksomhed=virksomhed("Kbh", kommune="101"))
    forloeb("HP1", "handlingsplan", date(2025, 2, 1), virksomhed=v)
    forloeb("HP2", "handlingsplan", date(2025, 6, 1), virksomhed=v)
    forloeb("HP3", "handlingsplan", None, virksomhed=v)
    forloeb("VP1", "vaekstplan", date(2025, 4, 1), virksomhed=v)
    forloeb("OP1", "omstillingsplan", date(2025, 5, 1), virksomhed=v)
    forloeb("OP2", "omstillingsplan", date(2025, 8, 1), virksomhed=v)


def m7_korte(kontrakt):
    m7_forloeb(kontrakt)
    # K1, K2, K3, K7 = 4; forventet 880 × 181/365 = 436.4; 4 / 880 = 0.0045 → 0.005
    return {"faktisk": 4.0, "forventet": 436.4, "opfyldelse": 0.005, "status": "bagud",
            "poster_taeller": {"K1", "K2", "K3", "K7"}}


def m7_handlingsplaner(kontrakt):
    m7_forloeb(kontrakt)
    # HP1, HP2 = 2; forventet 485 × 181 / 365 = 240.51 → 240.5
    return {"faktisk": 2.0, "forventet": 240.5, "status": "bagud",
            "poster_taeller": {"HP1", "HP2"}}


def m7_vaekstplaner(kontrakt):
    m7_forloeb(kontrakt)
    # VP1, OP1 = 2; forventet 315 × 181 / 365 = 156.21 → 156.2
    return {"faktisk": 2.0, "forventet": 156.2, "poster_taeller": {"VP1", "OP1"}}


def m7_laengere(kontrakt):
    m7_forloeb(kontrakt)
    # HP1, HP2, VP1, OP1 = 4; forventet 800 × 181 / 365 = 396.71 → 396.7
    return {"faktisk": 4.0, "forventet": 396.7, "poster_taeller": {"HP1", "HP2", "VP1", "OP1"}}


def m7_i_alt(kontrakt):
    m7_forloeb(kontrakt)
    # 4 korte + 4 længere = 8; forventet 1680 × 181 / 365 = 833.10 → 833.1
    return {"faktisk": 8.0, "forventet": 833.1, "taeller": 8,
            "poster_taeller": {"K1", "K2", "K3", "K7", "HP1", "HP2", "VP1", "OP1"}}


def m8_by_land(kontrakt):
    forloeb("LA", slut=date(2025, 2, 1), virksomhed=virksomhed("Land A", "306"))  # Odsherred
    forloeb("LB", slut=date(2025, 6, 30), virksomhed=virksomhed("Land B", "360"))  # Lolland
    by_a = virksomhed("By A", "330")  # Slagelse
    forloeb("BA1", slut=date(2025, 3, 1), virksomhed=by_a)
    forloeb("BA2", "handlingsplan", date(2025, 4, 1), virksomhed=by_a)  # By A counts once
    forloeb("BB", slut=date(2025, 5, 1), virksomhed=virksomhed("By B", "330"))
    forloeb("BC", slut=date(2025, 5, 1), virksomhed=virksomhed("By C", "265"))  # Roskilde
    forloeb("LC", slut=date(2025, 7, 1), virksomhed=virksomhed("Land C", "376"))  # after H1
    forloeb("LD", slut=None, virksomhed=virksomhed("Land D", "390"))  # igangværende
    forloeb("HS", slut=date(2025, 3, 1), virksomhed=virksomhed("Hovedstad", "101"))  # not region
    # companies: Land A, Land B of 5 = 40.0 %
    # population 1 Jan 2023: land (Odsherred 32,977 + Kalundborg 48,602 + Lolland 39,921
    # + Guldborgsund 60,231 + Vordingborg 45,441 = 227,172) of 849,857 = 26.73 → 26.7 %
    # deviation |40.0 − 26.7| = 13.3 pp > 10: bagud
    return {
        "faktisk": 13.3, "opfyldelse": 13.3, "forventet": None, "status": "bagud",
        "taeller": 2, "naevner": 5,
        "detaljer.andel_land": 40.0, "detaljer.befolkningsandel_land": 26.7,
        "poster_taeller": {"Land A", "Land B"},
        "poster_naevner": {"Land A", "Land B", "By A", "By B", "By C"},
    }


def m9_ai_tjek(kontrakt):
    v = virksomhed("V")
    for eid, dato in [("A1", date(2025, 1, 1)), ("A2", date(2025, 3, 3)), ("A3", date(2025, 6, 30)),
                      ("A4", date(2025, 7, 1)), ("A5", date(2024, 12, 31))]:
        services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                                virksomhed=v, dato=dato, ekstern_id=eid)
    # A1, A2, A3 = 3; forventet 40 × 181 / 365 = 19.84 → 19.8
    return {"faktisk": 3.0, "forventet": 19.8, "status": "bagud",
            "poster_taeller": {"A1", "A2", "A3"}}


def m10_lokale_operatoerer(kontrakt):
    greve, koege = aktoer("Lokal erhvervsservice Greve"), aktoer("Lokal erhvervsservice Køge")
    kbh = services.aktoer_create(navn="Lokal erhvervsservice København", type="lokal",
                                 kommuner=["101"])
    aktivitet = partial(services.aktivitet_create, erhvervshus=sjaelland_hus())
    aktivitet(type="faelles_aktivitet", dato=date(2025, 2, 1), titel="F1", partnere=[greve, koege])
    aktivitet(type="faelles_aktivitet", dato=date(2025, 5, 1), titel="F2", partnere=[greve])
    aktivitet(type="faelles_aktivitet", dato=date(2025, 7, 1), titel="F3",
              partnere=[aktoer("Lokal erhvervsservice Roskilde")])  # after H1
    aktivitet(type="event", dato=date(2025, 3, 1), titel="E1",
              partnere=[aktoer("Lokal erhvervsservice Solrød")])  # not a fælles aktivitet
    aktivitet(type="faelles_aktivitet", dato=date(2025, 3, 1), titel="F4",
              partnere=[aktoer("BLOXHUB"), kbh])  # a cluster, and a local operator elsewhere
    # Greve and Køge = 2 of the region's 17; forventet 17 × 181 / 365 = 8.43 → 8.4;
    # 2 < 0.9 × 8.4: bagud; 2 / 17 = 0.1176 → 0.118
    return {
        "faktisk": 2.0, "maalvaerdi": 17.0, "forventet": 8.4, "opfyldelse": 0.118,
        "status": "bagud", "taeller": 2, "naevner": 17,
        "poster_taeller": {"Lokal erhvervsservice Greve", "Lokal erhvervsservice Køge"},
        "poster_naevner": set(
            Aktoer.objects.filter(type="lokal", kommuner__region_id="1085")
            .values_list("navn", flat=True)
        ),
    }


def m10_henvist_handlingsplan(kontrakt):
    v = virksomhed("V")
    forloeb("HP1", "handlingsplan", date(2025, 2, 1), virksomhed=v,
            henvist_til=["Innovationsfonden"])
    hp2 = forloeb("HP2", "handlingsplan", date(2025, 3, 1), virksomhed=v)
    henvis(hp2, privat_raadgiver(), date(2025, 1, 15))
    forloeb("HP3", "handlingsplan", date(2025, 3, 1), virksomhed=v,
            henvist_til=["Lokal erhvervsservice Slagelse"])  # lokal: not ekstern rådgivning
    forloeb("HP4", "handlingsplan", date(2025, 4, 1), virksomhed=v,
            henvist_til=["Roskilde Universitet (RUC)"])  # anden: not ekstern rådgivning
    forloeb("HP5", "handlingsplan", date(2025, 5, 1), virksomhed=v)  # no henvisning
    forloeb("HP6", "handlingsplan", date(2025, 7, 1), virksomhed=v, henvist_til=["Eksportrådet"])
    forloeb("HP7", "handlingsplan", None, virksomhed=v, henvist_til=["Eksportrådet"])
    hp8 = forloeb("HP8", "handlingsplan", date(2025, 6, 1), virksomhed=v)
    henvis(hp8, "EIFO – Danmarks Eksport- og Investeringsfond", date(2025, 8, 1))  # own date late
    forloeb("K1", "kort", date(2025, 2, 1), virksomhed=v, henvist_til=["Innovationsfonden"])
    # naevner HP1, HP2, HP3, HP4, HP5, HP8 = 6; taeller HP1, HP2, HP8 = 3 → 50.0 % < 70: bagud
    # opfyldelse 50.0 / 70 = 0.714
    return {
        "faktisk": 50.0, "taeller": 3, "naevner": 6, "forventet": None, "opfyldelse": 0.714,
        "status": "bagud", "poster_taeller": {"HP1", "HP2", "HP8"},
        "poster_naevner": {"HP1", "HP2", "HP3", "HP4", "HP5", "HP8"},
    }


def m10_henvist_vaekstplan(kontrakt):
    v = virksomhed("V")
    forloeb("VP1", "vaekstplan", date(2025, 2, 1), virksomhed=v, henvist_til=["Innovationsfonden"])
    op1 = forloeb("OP1", "omstillingsplan", date(2025, 3, 1), virksomhed=v,
                  henvist_til=["Lokal erhvervsservice Slagelse"])
    henvis(op1, privat_raadgiver(), date(2025, 2, 1))
    forloeb("VP2", "vaekstplan", date(2025, 4, 1), virksomhed=v,
            henvist_til=["Lokal erhvervsservice Slagelse"])
    forloeb("VP3", "vaekstplan", date(2025, 7, 1), virksomhed=v, henvist_til=["Eksportrådet"])
    forloeb("HP1", "handlingsplan", date(2025, 2, 1), virksomhed=v, henvist_til=["Eksportrådet"])
    # VP1, OP1 of VP1, OP1, VP2 → 2 / 3 = 66.7 % < 80: bagud; degree met from the exact share:
    # 66.667 / 80 = 0.8333 → 0.833
    return {
        "faktisk": 66.7, "taeller": 2, "naevner": 3, "opfyldelse": 0.833, "status": "bagud",
        "poster_taeller": {"VP1", "OP1"}, "poster_naevner": {"VP1", "OP1", "VP2"},
    }


def program(navn, program_, status, dato, v=None):
    services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
        virksomhed=v or virksomhed(navn), program=program_, status=status, dato=dato
    )


def programmer(kontrakt):
    aa, smv = "attraktive_arbejdspladser", "smv_vaekstpilot"
    a = virksomhed("A")
    program("A", aa, "bevilget", date(2025, 2, 1), a)
    program("A", aa, "bevilget", date(2025, 5, 1), a)  # A counts once
    program("B", aa, "bevilget", date(2025, 6, 30))
    program("C", aa, "ansoegt", date(2025, 3, 1))
    program("D", aa, "bevilget", date(2025, 7, 1))
    program("E", aa, "afslag", date(2025, 3, 1))
    program("F", smv, "bevilget", date(2025, 3, 1))
    program("G", smv, "bevilget", date(2025, 1, 1))
    program("H", smv, "bevilget", date(2024, 12, 31))
    program("J", smv, "ansoegt", date(2025, 2, 1))


def m11_attraktive_arbejdspladser(kontrakt):
    programmer(kontrakt)
    # A, B = 2; forventet 20 × 181 / 365 = 9.92 → 9.9
    return {"faktisk": 2.0, "forventet": 9.9, "status": "bagud", "poster_taeller": {"A", "B"}}


def m11_smv_vaekstpilot(kontrakt):
    programmer(kontrakt)
    # F, G = 2; forventet 45 × 181 / 365 = 22.32 → 22.3
    return {"faktisk": 2.0, "forventet": 22.3, "poster_taeller": {"F", "G"}}


def m12_hovedstaden(kontrakt):
    kbh_a = virksomhed("Kbh A", "101")
    forloeb("KA1", slut=date(2025, 2, 1), virksomhed=kbh_a)
    forloeb("KA2", "vaekstplan", date(2025, 5, 1), virksomhed=kbh_a)  # counts once
    forloeb("FR", slut=date(2025, 6, 30), virksomhed=virksomhed("Frb", "147"))
    forloeb("KB", slut=None, virksomhed=virksomhed("Kbh B", "101"))  # igangværende
    forloeb("KC", slut=date(2025, 7, 1), virksomhed=virksomhed("Kbh C", "101"))  # after H1
    forloeb("SL", slut=date(2025, 3, 1), virksomhed=virksomhed("Slagelse", "330"))
    forloeb("AA", slut=date(2025, 3, 1), virksomhed=virksomhed("Aarhus", "751"))
    # Kbh A, Frb = 2; forventet 20 × 181 / 365 = 9.9
    return {"faktisk": 2.0, "forventet": 9.9, "poster_taeller": {"Kbh A", "Frb"}}


def m13_klyngearrangementer(kontrakt):
    for eid, type_, dato in [("KA1", "klyngearrangement", date(2025, 1, 15)),
                             ("KA2", "klyngearrangement", date(2025, 6, 30)),
                             ("KA3", "klyngearrangement", date(2025, 7, 1)),
                             ("E1", "event", date(2025, 3, 1))]:
        services.aktivitet_create(erhvervshus=sjaelland_hus(),
                                  type=type_, dato=dato, titel=eid, ekstern_id=eid)
    # KA1, KA2 = 2; no target in the contract
    return {"faktisk": 2.0, "maalvaerdi": None, "forventet": None, "opfyldelse": None,
            "status": "uden_maaltal", "poster_taeller": {"KA1", "KA2"}}


def m13_klyngesamarbejder(kontrakt):
    for navn, dato in [("BLOXHUB", date(2025, 2, 1)), ("BLOXHUB", date(2025, 4, 1)),
                       ("CLEAN", date(2025, 6, 30)), ("MADE", date(2025, 7, 1))]:
        services.samarbejdsaftale_create(erhvervshus=sjaelland_hus(),
                                         aktoer=aktoer(navn), dato=dato)
    # BLOXHUB (twice), CLEAN = 2 clusters; forventet 3 × 181 / 365 = 1.49 → 1.5; 2 ≥ 1.5
    return {"faktisk": 2.0, "forventet": 1.5, "opfyldelse": 0.667, "status": "paa_sporet",
            "poster_taeller": {"BLOXHUB", "CLEAN"}}


def maaling_scenarie(noegle, vaerdi, status, opfyldelse):
    def byg(kontrakt):
        hus = kontrakt.erhvervshus

        def maal(v, dato):
            maaling_create(erhvervshus=hus, noegle=noegle, aar=2025, vaerdi=Decimal(v),
                           dato=dato, kilde="ERST")

        maal("11", date(2025, 3, 1))
        maal("12", date(2025, 5, 15))
        maal(vaerdi, date(2025, 5, 15))  # same day, entered later: this one counts
        maal("99", date(2025, 7, 10))  # after H1
        # a value for 2024 entered in 2025 belongs to the 2024 contract
        Maaling.objects.create(erhvervshus=hus, noegle=noegle, aar=2024, vaerdi=Decimal("98"),
                               dato=date(2025, 6, 1), kilde="ERST")
        return {"faktisk": float(vaerdi), "forventet": None, "status": status,
                "opfyldelse": opfyldelse,
                "poster_taeller": [float(vaerdi), 12.0, 11.0]}
    return byg


def m14_gearing(kontrakt):
    hus = kontrakt.erhvervshus
    for noegle, vaerdi, dato in [("M14.omsaetning", "41250000", date(2025, 3, 31)),
                                 ("M14.basistilskud", "15300000", date(2025, 3, 31)),
                                 ("M14.omsaetning", "45000000", date(2025, 8, 1))]:
        maaling_create(erhvervshus=hus, noegle=noegle, aar=2025, vaerdi=Decimal(vaerdi),
                       dato=dato, kilde="Økonomisystem")
    # 41,250,000 / 15,300,000 = 2.696 (shown 2.70) ≥ 2.50; opfyldelse 2.696 / 2.50 = 1.078
    return {"faktisk": 2.7, "opfyldelse": 1.078, "status": "paa_sporet",
            "poster_taeller": [41250000.0], "poster_naevner": [15300000.0]}


def milepael_scenarie(noegle, statusser, forventet_status):
    def byg(kontrakt):
        indikator = Indikator.objects.get(maal__kontrakt=kontrakt, noegle=noegle)
        for status, dato in statusser:
            milepael_status_create(indikator=indikator, status=status, dato=dato,
                                   fortaelling=f"{status} pr. {dato}")
        return {"status": forventet_status, "faktisk": None, "maalvaerdi": None,
                "opfyldelse": None,
                "poster_taeller": [s for s, d in sorted(statusser, key=lambda s: s[1], reverse=True)
                                   if d <= H1.til]}
    return byg


SCENARIER = {
    "M1.ivaerksaettere": m1_ivaerksaettere,
    "M2.kendskabsgrad": maaling_scenarie("M2.kendskabsgrad", "52", "paa_sporet", 1.04),
    # 54.5 / 55 = 0.9909 → 0.991
    "M2.kendskab_tilbud": maaling_scenarie("M2.kendskab_tilbud", "54.5", "bagud", 0.991),
    "M3.nps": maaling_scenarie("M3.nps", "72", "paa_sporet", 1.029),  # 72 / 70 = 1.0286
    # exactly the target meets "≥ 50"
    "M4.henvisninger_anvendt": maaling_scenarie("M4.henvisninger_anvendt", "50", "paa_sporet", 1.0),
    "M5.omsaetning_vaekst": maaling_scenarie("M5.omsaetning_vaekst", "9.9", "bagud", 0.99),
    "M5.beskaeftigelse_vaekst": maaling_scenarie("M5.beskaeftigelse_vaekst", "5.2", "paa_sporet",
                                                 1.04),
    # "> 0 pp": 0 is not enough; no degree met against a zero target
    "M5.produktivitet_drift": maaling_scenarie("M5.produktivitet_drift", "0", "bagud", None),
    "M6.baeredygtighed": maaling_scenarie("M6.baeredygtighed", "66", "bagud", 0.943),
    "M7.korte": m7_korte,
    "M7.handlingsplaner": m7_handlingsplaner,
    "M7.vaekstplaner": m7_vaekstplaner,
    "M7.laengere": m7_laengere,
    "M7.i_alt": m7_i_alt,
    "M8.by_land": m8_by_land,
    "M9.ai_tjek": m9_ai_tjek,
    "M10.lokale_operatoerer": m10_lokale_operatoerer,
    "M10.henvist_handlingsplan": m10_henvist_handlingsplan,
    "M10.henvist_vaekstplan": m10_henvist_vaekstplan,
    "M11.rekrutteringsydelse": milepael_scenarie(
        "M11.rekrutteringsydelse", [("i_gang", date(2025, 3, 1)), ("opfyldt", date(2025, 7, 15))],
        "i_gang",
    ),
    "M11.attraktive_arbejdspladser": m11_attraktive_arbejdspladser,
    "M11.smv_vaekstpilot": m11_smv_vaekstpilot,
    "M12.hovedstaden": m12_hovedstaden,
    "M12.sjaelland_via_ehh": maaling_scenarie("M12.sjaelland_via_ehh", "23", "paa_sporet", 1.15),
    "M13.samarbejde_ruc_kkr": milepael_scenarie("M13.samarbejde_ruc_kkr", [], "ikke_startet"),
    "M13.klyngearrangementer": m13_klyngearrangementer,
    "M13.klyngesamarbejder": m13_klyngesamarbejder,
    "M14.gearing": m14_gearing,
    "M14.geografisk_forankring": milepael_scenarie(
        "M14.geografisk_forankring", [("i_gang", date(2025, 2, 1)), ("opfyldt", date(2025, 6, 30))],
        "opfyldt",
    ),
    "M15.femern": milepael_scenarie(
        "M15.femern", [("ikke_startet", date(2025, 1, 15)), ("i_gang", date(2025, 4, 1))], "i_gang"
    ),
    "M15.biosolutions": milepael_scenarie(
        "M15.biosolutions", [("opfyldt", date(2025, 7, 1))], "ikke_startet"
    ),
}


def test_every_indicator_of_the_contract_has_a_scenario(kontrakt_2025):
    noegler = set(Indikator.objects.filter(maal__kontrakt=kontrakt_2025).values_list("noegle",
                                                                                     flat=True))
    assert len(noegler) == 31
    assert noegler == set(SCENARIER)


def etiket(post):
    """How a record is named in the scenarios."""
    if isinstance(post, (Forloeb, AITjek, Aktivitet)):
        return post.ekstern_id
    if isinstance(post, (Virksomhed, Aktoer)):
        return post.navn
    if isinstance(post, Maaling):
        return float(post.vaerdi)
    if isinstance(post, MilepaelStatus):
        return post.status
    if isinstance(post, (Programdeltagelse, Samarbejdsaftale)):
        return str(post)
    raise AssertionError(f"Uventet post {post!r}")


@pytest.mark.parametrize("noegle", sorted(SCENARIER))
def test_indicator_on_hand_made_records(kontrakt_2025, noegle):
    forventet = SCENARIER[noegle](kontrakt_2025)
    resultater = {r.noegle: r for r in indikator_resultater(kontrakt_2025, H1, idag=IDAG)}
    resultat = resultater[noegle]

    for felt, vaerdi in forventet.items():
        if felt.startswith("poster_"):
            continue
        if felt.startswith("detaljer."):
            assert resultat.detaljer[felt.removeprefix("detaljer.")] == vaerdi, felt
        else:
            assert getattr(resultat, felt) == vaerdi, felt

    indikator = Indikator.objects.get(maal__kontrakt=kontrakt_2025, noegle=noegle)
    for del_ in ("taeller", "naevner"):
        if f"poster_{del_}" not in forventet:
            continue
        poster = [etiket(p) for p in indikator_poster(indikator, H1, del_)]
        vaentet = forventet[f"poster_{del_}"]
        if isinstance(vaentet, set):
            assert len(poster) == len(set(poster)), "a record listed twice"
            assert set(poster) == vaentet
            # the drill-down lists exactly as many records as the figure counts
            assert len(poster) == getattr(resultat, del_)
        else:
            assert poster == vaentet
