"""Each rule once: every rule's bad record fed through the form, the service and the workbook
import gives the same Danish message from all three (issue 10, "Each rule once").

One row per rule: the bad record as form data, as a service call and as a workbook row. The
message is the model's own (a validator, ``clean()`` or a constraint's ``violation_error_message``).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.forms import modelform_factory

from forloeb import services
from forloeb.forms import (
    AITjekForm,
    ForloebForm,
    ProgramdeltagelseForm,
    SamarbejdsaftaleForm,
    VirksomhedForm,
)
from forloeb.importer import importer
from forloeb.models import AKTOER_NAVN_FINDES, Aktoer, Samarbejdsaftale
from maal.services import maaling_create
from rapporter.forms import MaalingForm
from tests import factories
from tests.factories import erhvervshus as sjaelland_hus
from tests.forloeb.test_importer import FORLOEB_OVERSKRIFT, VIRKSOMHED_OVERSKRIFT, bog

IDAG = datetime(2025, 7, 15, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
UGYLDIGT_CVR = "10000018"  # the check digit of 10000017 is 7
CVR = "10000017"
VIRKSOMHED = [CVR, "Regel ApS", "330", date(2001, 1, 1)]
PROGRAM = ["cvr", "program", "status", "dato"]
MAALING = ["noegle", "aar", "vaerdi", "kilde", "dato", "kommentar"]


def beskeder_fra_form(form) -> list[str]:
    assert not form.is_valid()
    return [str(b) for fejl in form.errors.values() for b in fejl]


def beskeder_fra_service(kald) -> list[str]:
    with pytest.raises(ValidationError) as fejl:
        kald()
    return fejl.value.messages


def beskeder_fra_import(**ark) -> list[str]:
    svar = importer(bog(**ark), "regler.xlsx", dry_run=True)
    assert not svar.ok
    return [f.besked for f in svar.fejl]


def forloeb_data(**felter):
    return {"type": "kort", "startdato": "2025-02-01", "slutdato": "", "raadgiver": "",
            "fyrtaarn": "", "ekstern_id": "", **felter}


def forloeb_raekke(start, slut):
    return [[VIRKSOMHED_OVERSKRIFT, VIRKSOMHED],
            [FORLOEB_OVERSKRIFT, ["R-1", CVR, "kort", start, slut, "", "", ""]]]


def aftale_form(statslig):
    return SamarbejdsaftaleForm(data={"aktoer": statslig.pk, "dato": "2025-03-01",
                                      "beskrivelse": ""})


def program_form(virksomhed):
    form = ProgramdeltagelseForm(data={"program": "smv_vaekstpilot", "status": "bevilget",
                                       "dato": "2025-03-01"})
    form.virksomhed = virksomhed
    return form


def maaling_form(aar, dato):
    return MaalingForm(data={"noegle": "M3.nps", "vaerdi": "70", "dato": dato, "kilde": "ERST",
                             "kommentar": ""},
                       noegler=[("M3.nps", "NPS")], aar=aar)


AKTOERFORM = modelform_factory(Aktoer, fields=["navn", "type"])  # as the admin builds it

# (rule, message, form, service, import sheets); each callable gets the test's records.
REGLER = [
    (
        "CVR skal bestå modulus 11-kontrollen",
        f"{UGYLDIGT_CVR} er ikke et gyldigt CVR-nummer (kontrolcifferet passer ikke).",
        lambda r: VirksomhedForm(data={"cvr": UGYLDIGT_CVR, "navn": "X", "kommune": "330",
                                       "stiftelsesdato": "2001-01-01"}),
        lambda r: services.virksomhed_create(cvr=UGYLDIGT_CVR, navn="X", kommune="330",
                                             stiftelsesdato=date(2001, 1, 1)),
        lambda r: {"Virksomheder": [VIRKSOMHED_OVERSKRIFT,
                                    [UGYLDIGT_CVR, "X", "330", date(2001, 1, 1)]]},
    ),
    (
        "stiftelsesdatoen ligger ikke i fremtiden",
        "Stiftelsesdatoen kan ikke ligge i fremtiden.",
        lambda r: VirksomhedForm(data={"cvr": CVR, "navn": "X", "kommune": "330",
                                       "stiftelsesdato": "2025-08-01"}),
        lambda r: services.virksomhed_create(cvr=CVR, navn="X", kommune="330",
                                             stiftelsesdato=date(2025, 8, 1)),
        lambda r: {"Virksomheder": [VIRKSOMHED_OVERSKRIFT, [CVR, "X", "330", date(2025, 8, 1)]]},
    ),
    (
        "et forløbs slutdato ligger ikke før startdatoen",
        "Slutdatoen kan ikke ligge før startdatoen.",
        lambda r: ForloebForm(data=forloeb_data(slutdato="2025-01-15")),
        lambda r: services.forloeb_create(erhvervshus=sjaelland_hus(),
                                          virksomhed=r["virksomhed"], type="kort",
                                          startdato=date(2025, 2, 1),
                                          slutdato=date(2025, 1, 15)),
        lambda r: dict(zip(("Virksomheder", "Forloeb"),
                           forloeb_raekke(date(2025, 2, 1), date(2025, 1, 15)), strict=True)),
    ),
    (
        "et forløbs slutdato ligger ikke i fremtiden",
        "Slutdatoen ligger i fremtiden.",
        lambda r: ForloebForm(data=forloeb_data(slutdato="2025-08-01")),
        lambda r: services.forloeb_create(erhvervshus=sjaelland_hus(),
                                          virksomhed=r["virksomhed"], type="kort",
                                          startdato=date(2025, 2, 1), slutdato=date(2025, 8, 1)),
        lambda r: dict(zip(("Virksomheder", "Forloeb"),
                           forloeb_raekke(date(2025, 2, 1), date(2025, 8, 1)), strict=True)),
    ),
    (
        "en registrering ligger i kontraktårene",
        "Datoen 01-06-2013 ligger uden for kontraktårene (2015–2026).",
        lambda r: AITjekForm(data={"dato": "2013-06-01", "ekstern_id": ""}),
        lambda r: services.ai_tjek_create(erhvervshus=sjaelland_hus(),
                                          virksomhed=r["virksomhed"], dato=date(2013, 6, 1)),
        lambda r: {"Virksomheder": [VIRKSOMHED_OVERSKRIFT, VIRKSOMHED],
                   "AI_tjek": [["ekstern_id", "cvr", "dato", "henvist_af_lokal_erhvervsservice"],
                               ["AI-9", CVR, date(2013, 6, 1), "nej"]]},
    ),
    (
        "en samarbejdsaftale indgås med en klynge",
        Samarbejdsaftale.KUN_KLYNGE,
        lambda r: aftale_form(r["statslig"]),
        lambda r: services.samarbejdsaftale_create(erhvervshus=sjaelland_hus(),
                                                   aktoer=r["statslig"], dato=date(2025, 3, 1)),
        lambda r: {"Samarbejdsaftaler": [["aktoer", "dato", "beskrivelse"],
                                         [r["statslig"].navn, date(2025, 3, 1), ""]]},
    ),
    (
        "en virksomhed står én gang i et program på en dato",
        "Virksomheden er allerede registreret i programmet den dato.",
        lambda r: program_form(r["i_program"]),
        lambda r: services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
            virksomhed=r["i_program"], program="smv_vaekstpilot", status="bevilget",
            dato=date(2025, 3, 1)),
        lambda r: {"Virksomheder": [VIRKSOMHED_OVERSKRIFT, VIRKSOMHED],
                   "Programmer": [PROGRAM, [CVR, "smv_vaekstpilot", "ansoegt", date(2025, 3, 1)],
                                  [CVR, "smv_vaekstpilot", "bevilget", date(2025, 3, 1)]]},
    ),
    (
        "et aktørnavn er unikt uden hensyn til store bogstaver og mellemrum",
        AKTOER_NAVN_FINDES,
        lambda r: AKTOERFORM(data={"navn": "væksthus   NORD ", "type": "privat"}),
        lambda r: services.aktoer_create(navn="væksthus   NORD ", type="privat"),
        lambda r: {"Aktoerer": [["navn", "type", "kommunekoder"], ["Ny Rådgiver", "privat", ""],
                                ["ny  RÅDGIVER", "anden", ""]]},
    ),
    (
        "en måling dateres tidligst 1. januar i sit år",
        "Datoen skal ligge i kontraktåret 2025; ellers tæller den ikke med.",
        lambda r: maaling_form(2025, "2024-12-31"),
        lambda r: maaling_create(erhvervshus=r["hus"], noegle="M3.nps", aar=2025, vaerdi=70,
                                 dato=date(2024, 12, 31), kilde="ERST"),
        lambda r: {"Maalinger": [MAALING, ["M3.nps", 2025, 70, "ERST", date(2024, 12, 31), ""]]},
    ),
    (
        "en måling efter året (et endeligt tal) dateres ikke i fremtiden",
        "En måling dateret efter kontraktåret 2024 er et endeligt tal for året; den kan ikke "
        "dateres i fremtiden.",
        lambda r: maaling_form(2024, "2025-08-01"),
        lambda r: maaling_create(erhvervshus=r["hus"], noegle="M3.nps", aar=2024, vaerdi=70,
                                 dato=date(2025, 8, 1), kilde="ERST"),
        lambda r: {"Maalinger": [MAALING, ["M3.nps", 2024, 70, "ERST", date(2025, 8, 1), ""]]},
    ),
]


@pytest.fixture
def poster(kontrakt_2025):
    """The records the rules' bad records meet: a company, one in a program on 1 March, a state
    aktør and an aktør the new names clash with."""
    i_program = factories.virksomhed()
    services.programdeltagelse_create(erhvervshus=sjaelland_hus(),
                                      virksomhed=i_program, program="smv_vaekstpilot",
                                      status="ansoegt", dato=date(2025, 3, 1))
    services.aktoer_create(navn="Væksthus Nord", type="statslig")
    return {
        "virksomhed": factories.virksomhed(), "i_program": i_program,
        "statslig": Aktoer.objects.filter(type="statslig").first(),
        "hus": kontrakt_2025.erhvervshus,
    }


@time_machine.travel(IDAG, tick=False)
@pytest.mark.parametrize(("regel", "besked", "form", "service", "ark"), REGLER,
                         ids=[r[0] for r in REGLER])
def test_the_form_the_service_and_the_import_give_the_rule_s_message(poster, regel, besked,
                                                                     form, service, ark):
    fra_form = beskeder_fra_form(form(poster))
    fra_service = beskeder_fra_service(lambda: service(poster))
    fra_import = beskeder_fra_import(**ark(poster))
    for kilde, beskeder in (("formularen", fra_form), ("servicen", fra_service),
                            ("importen", fra_import)):
        assert any(besked in b for b in beskeder), f"{kilde} sagde {beskeder}"


@time_machine.travel(IDAG, tick=False)
def test_aktoer_create_normalises_the_name_it_keeps(db):
    aktoer = services.aktoer_create(navn="  Rådgiver   Hansen\t& Co ", type="privat")
    assert aktoer.navn == "Rådgiver Hansen & Co"
    with pytest.raises(ValidationError) as fejl:
        services.aktoer_create(navn="RÅDGIVER HANSEN & CO", type="anden")
    assert fejl.value.messages == [AKTOER_NAVN_FINDES]


@time_machine.travel(IDAG, tick=False)
def test_a_new_aktoer_from_henvisninger_gets_the_name_as_the_form_keeps_it(kontrakt_2025):
    factories.virksomhed(cvr=CVR)
    factories.forloeb(ekstern_id="F-1", virksomhed_=factories.virksomhed())
    svar = importer(bog(Henvisninger=[["forloeb_ekstern_id", "aktoer", "aktoertype", "dato"],
                                      ["F-1", "  Ny   Rådgiver ", "privat", date(2025, 3, 1)]]),
                    "h.xlsx")
    assert svar.ok, svar.tekst()
    assert Aktoer.objects.filter(navn="Ny Rådgiver").exists()
