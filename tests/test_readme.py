"""The README is part of the code (STYLE.md 12): its counting rules say what
``rapporter/beregning.py`` decides, the query count it names is the engine's, and every README
heading the code points to exists.

The decisions are read from beregning's module docstring (its bold-headed bullets) and from the
README's "How the figures are counted"; each decision's key claim must stand in both, in the same
words (markup, quotes and case aside). A decision changed in one place and not the other fails
here, naming the claim.
"""

import re
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapporter import beregning
from rapporter.beregning import Periode
from rapporter.resultater import indikator_resultater

ROD = Path(__file__).resolve().parent.parent
README = (ROD / "README.md").read_text(encoding="utf-8")
KODE = ("kontrakt", "forloeb", "maal", "rapporter")

# Each decision of the docstring (by its bold heading) and the claims that must read the same in
# the README.
NOEGLESAETNINGER = {
    "judged on the exact figure": [
        "held against the target unrounded",
        "rounded (half up) only to be shown",
        'a share of 69.96 % is shown as 70.0 % and does not meet "≥ 70 %"',
    ],
    "directions": [
        "when actual ≥ 90 % of it (≤ 110 %",
    ],
    "pro rata to the period's end": [
        "exactly as kontrakt-2025.md writes it",
        "days from 1 january to the period's end, both counted (181/365 for h1 2025, 182/366 for "
        "h1 2024), whenever the page is seen",
    ],
    "zero target": [
        'met by anything that meets the direction (0 ≥ 0; "> 0" needs more than 0)',
        "needs an expectation above 0",
    ],
    "opfyldelse": [
        "actual / target for every direction except fordeling, where it is the deviation itself "
        "in percentage points",
    ],
    "a finished year": [
        "seen after 31 december of the contract year",
        '(even 31 december) are always judged as "during the year"',
    ],
    "målinger": [
        "the latest of the contract year dated on or before the period's end counts, on the same "
        "date the one entered last",
        "a finished year takes the latest of its year whatever its date, since final figures "
        "arrive after 31 december",
    ],
    "milepæle": [
        "dated 31 december or later",
        "until it is given the milepæl is afventer",
        "exists only as a final assessment",
    ],
    "dækning with no set": [
        "when the known set is empty (no local operators in the region) there is nothing to "
        "cover: afventer, like an andel with an empty denominator",
    ],
    "iværksætter and 29 february": [
        "a company founded on 29 february turns three on 1 march",
    ],
}
# Decisions the README states that are the selectors' (what is counted where), not beregning's.
KUN_I_README = {"by/land", "m1 and m7"}
# Rules that were once in the README and are wrong.
FORKERTE = ["rounded half up to one decimal before they are held against the target",
            "judged as shown", "11 queries"]


def normaliser(tekst: str) -> str:
    """Text as read: no markup (``code``, *italics*, **bold**), straight quotes, one space, lower
    case."""
    tekst = tekst.replace("`", "").replace("*", "")
    for skaev, lige in (("“", '"'), ("”", '"'), ("»", '"'), ("«", '"'), ("’", "'")):
        tekst = tekst.replace(skaev, lige)
    return " ".join(tekst.split()).lower()


def afsnit(overskrift: str) -> str:
    """The README section under ``## overskrift``, to the next heading of that level."""
    match = re.search(rf"^## {re.escape(overskrift)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README har intet afsnit '## {overskrift}'"
    return match.group(1)


def punkter(tekst: str) -> dict[str, str]:
    """The bold-headed bullets of ``tekst``: heading (normalised, no closing full stop) → the
    bullet's whole text, normalised."""
    resultat = {}
    for punkt in re.split(r"^\s*- (?=\*\*)", tekst, flags=re.M)[1:]:
        overskrift = re.match(r"\*\*(.+?)\*\*", punkt).group(1)
        resultat[normaliser(overskrift).rstrip(".")] = normaliser(punkt)
    return resultat


BESLUTNINGER = punkter(beregning.__doc__.split("Decisions where the contract is silent")[1])
REGLER = punkter(afsnit("How the figures are counted"))


def test_the_docstring_and_the_readme_name_the_same_decisions():
    assert set(NOEGLESAETNINGER) == set(BESLUTNINGER), (
        "beregning's decisions changed: say in NOEGLESAETNINGER what each one claims")
    assert set(BESLUTNINGER) <= set(REGLER), (
        f"README mangler: {sorted(set(BESLUTNINGER) - set(REGLER))}")
    assert set(REGLER) - set(BESLUTNINGER) <= KUN_I_README, (
        f"Kun i README: {sorted(set(REGLER) - set(BESLUTNINGER) - KUN_I_README)}")


@pytest.mark.parametrize("beslutning", sorted(NOEGLESAETNINGER))
def test_each_decision_claims_the_same_in_both(beslutning):
    for saetning in NOEGLESAETNINGER[beslutning]:
        assert saetning in BESLUTNINGER[beslutning], f"beregning.py: '{saetning}'"
        assert saetning in REGLER[beslutning], f"README: '{saetning}'"


def test_the_readme_no_longer_says_what_the_code_does_not_do():
    tekst = normaliser(README)
    for forkert in FORKERTE:
        assert forkert not in tekst


def _readme_antal_forespoergsler() -> int:
    match = re.search(r"(\d+) queries for all (\d+) indicators", normaliser(README))
    assert match, "README nævner ikke motorens antal forespørgsler"
    return int(match.group(1))


def test_the_query_count_the_readme_names_is_the_one_the_test_asserts():
    test = (ROD / "tests" / "rapporter" / "test_selectors.py").read_text(encoding="utf-8")
    funktion = test.split("def test_the_number_of_queries_does_not_grow_with_records")[1]
    match = re.search(r"captured_queries\) == (\d+)", funktion)
    assert match, "test_selectors.py hævder ikke længere et fast antal forespørgsler"
    assert _readme_antal_forespoergsler() == int(match.group(1))


def test_the_query_count_the_readme_names_is_what_the_engine_costs(kontrakt_2025):
    from maal.models import Resultatkontrakt

    kontrakt = Resultatkontrakt.objects.get(pk=kontrakt_2025.pk)  # nothing cached
    with CaptureQueriesContext(connection) as faa:
        resultater = indikator_resultater(kontrakt, Periode.h1(2025), idag=date(2025, 7, 15))
    assert len(resultater) == 31
    assert len(faa.captured_queries) == _readme_antal_forespoergsler()


def _readme_henvisninger() -> list[tuple[str, str]]:
    """Every README heading the code points to ("se README under »Indicators' parameters«"):
    in the models' help texts and anywhere in the apps' source (forms, messages); migrations
    keep the texts of their day and are left out."""
    moenster = re.compile(r"README under [»'\"“](.+?)[«'\"”](?:[.,;)]|$)")
    fundet = []
    for model in apps.get_models():
        if model._meta.app_label in KODE:
            for felt in model._meta.get_fields():
                for navn in moenster.findall(str(getattr(felt, "help_text", "") or "")):
                    fundet.append((f"{model.__name__}.{felt.name}", navn))
    for app in KODE:
        for sti in (ROD / app).rglob("*.py"):
            if "migrations" not in sti.parts:
                for navn in moenster.findall(sti.read_text(encoding="utf-8")):
                    fundet.append((str(sti.relative_to(ROD)), navn))
    return fundet


def test_every_readme_heading_the_code_points_to_exists():
    henvisninger = _readme_henvisninger()
    assert ("Indikator.parametre", "Indicators' parameters") in henvisninger
    overskrifter = {m.strip() for m in re.findall(r"^#{2,4} (.+)$", README, re.M)}
    for hvor, navn in henvisninger:
        assert navn in overskrifter, (
            f"{hvor} henviser til README-afsnittet '{navn}', som ikke findes")


def test_ci_runs_the_readmes_test_command():
    """The command the README gives for the whole suite is the one .ci/run runs on SQLite."""
    kommando = re.search(r"^python3 -m venv .+\.venv/bin/pytest.*$", README, re.M)
    assert kommando, "README giver ingen testkommando"
    ci = (ROD / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert kommando.group(0) in ci, f"README og .ci/run kører ikke det samme: {kommando.group(0)}"
