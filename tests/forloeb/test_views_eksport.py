"""Each list exports its filtered rows to Excel in the import layout (IMPORTFORMAT.md), so the
file can be read back by the importer."""

import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from forloeb.importer import importer
from tests.forloeb.test_views_lister import BYGGERE, FORBI, TRAEF, forloeb

pytestmark = pytest.mark.django_db

EIFO = "EIFO – Danmarks Eksport- og Investeringsfond"



def arbejdsbog(svar):
    assert svar.status_code == 200
    assert svar["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert svar["Content-Disposition"].startswith('attachment; filename="')
    wb = load_workbook(io.BytesIO(svar.content), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_a_filtered_forloeb_list_exports_its_forloeb_companies_and_henvisninger(logget_ind):
    valgt = forloeb(TRAEF, type="handlingsplan", kommune="259", raadgiver="Bo Madsen",
                    emner=["ai", "eksport"], henvist_til=[EIFO])
    forloeb(FORBI, type="kort", henvist_til=["Innovationsfonden"])

    ark = arbejdsbog(logget_ind.get(reverse("forloeb:forloeb_eksport"),
                                    {"type": "handlingsplan"}))

    assert list(ark) == ["Virksomheder", "Forloeb", "Henvisninger"]
    assert ark["Forloeb"] == [
        ("ekstern_id", "cvr", "type", "startdato", "slutdato", "raadgiver", "emner", "fyrtaarn"),
        (TRAEF, valgt.virksomhed.cvr, "handlingsplan", datetime(2025, 2, 1),
         datetime(2025, 3, 1), "Bo Madsen", "ai;eksport", None),
    ]
    assert ark["Virksomheder"][1:] == [
        (valgt.virksomhed.cvr, f"Virksomhed {TRAEF}", "259", datetime(2010, 1, 1))]
    assert ark["Henvisninger"][1:] == [(TRAEF, EIFO, "statslig", datetime(2025, 2, 1))]


def test_the_exported_file_imports_again_without_changes(logget_ind):
    forloeb(TRAEF, henvist_til=[EIFO])
    svar = logget_ind.get(reverse("forloeb:forloeb_eksport"))
    resultat = importer(svar.content, "forloeb.xlsx", dry_run=True)
    assert resultat.ok, resultat.fejl
    assert not resultat.noget_at_gemme


# (list, filter, the main sheet, the column that names the record)
EKSPORTER = [
    ("virksomhed", {"kommune": "259"}, "Virksomheder", 1),
    ("henvisning", {"kommune": "259"}, "Henvisninger", 0),
    ("ai_tjek", {"kommune": "259"}, "AI-tjek", 0),
    ("aktivitet", {"type": "klyngearrangement"}, "Aktiviteter", 3),
    ("programdeltagelse", {"kommune": "259"}, "Programmer", 0),
    ("samarbejdsaftale", {"soeg": "traef"}, "Samarbejdsaftaler", 2),
]


@pytest.mark.parametrize("slug, query, arknavn, kolonne", EKSPORTER)
def test_each_list_exports_only_its_filtered_rows(logget_ind, slug, query, arknavn, kolonne):
    felter = {"type": "klyngearrangement"} if slug == "aktivitet" else (
        {} if slug == "samarbejdsaftale" else {"kommune": "259"})
    traef = BYGGERE[slug](TRAEF, **felter)
    BYGGERE[slug](FORBI)

    ark = arbejdsbog(logget_ind.get(reverse(f"forloeb:{slug}_eksport"), query))

    raekker = ark[arknavn][1:]
    assert len(raekker) == 1
    navn = raekker[0][kolonne]
    if slug == "programdeltagelse":
        assert navn == traef.virksomhed.cvr
    else:
        assert TRAEF in navn
    if "Virksomheder" in ark and slug != "virksomhed":
        assert len(ark["Virksomheder"]) == 2  # header and the one company, for re-import


def test_an_export_of_nothing_has_the_headers(logget_ind):
    ark = arbejdsbog(logget_ind.get(reverse("forloeb:ai_tjek_eksport"), {"til": "2015-01-01"}))
    assert ark["AI-tjek"] == [("ekstern_id", "cvr", "dato", "henvist_af_lokal_erhvervsservice")]


def test_the_list_links_to_the_export_with_its_filters(logget_ind):
    side = logget_ind.get(reverse("forloeb:forloeb_liste"), {"type": "kort"}).content.decode()
    assert 'href="/registrering/forloeb/eksport/?type=kort"' in side


def test_the_file_is_named_by_list_and_date(logget_ind):
    svar = logget_ind.get(reverse("forloeb:aktivitet_eksport"))
    assert svar["Content-Disposition"] == (
        f'attachment; filename="aktivitet-{timezone.localdate():%Y-%m-%d}.xlsx"')
