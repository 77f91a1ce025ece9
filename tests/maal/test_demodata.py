"""The demo command fills the year through the services and does not duplicate on a rerun."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from forloeb.models import (
    AITjek,
    Aktivitet,
    Forloeb,
    Henvisning,
    Programdeltagelse,
    Samarbejdsaftale,
    Virksomhed,
)
from maal.models import Maaling, MilepaelStatus

pytestmark = pytest.mark.django_db

MODELLER = [Virksomhed, Forloeb, Henvisning, AITjek, Aktivitet, Programdeltagelse,
            Samarbejdsaftale, Maaling, MilepaelStatus]


def _antal():
    return {m.__name__: m.objects.count() for m in MODELLER}


@time_machine.travel("2026-01-15 10:00 +0100", tick=False)
def test_demodata_koerer_to_gange_uden_dubletter(kontrakt_2025):
    call_command("demodata", aar=2025, forloeb=300, stdout=StringIO())
    foerste = _antal()
    assert foerste["Forloeb"] == 300
    assert all(foerste.values()), foerste
    ud = StringIO()
    call_command("demodata", aar=2025, forloeb=300, stdout=ud)
    assert "findes allerede" in ud.getvalue()
    assert _antal() == foerste


@time_machine.travel("2026-01-15 10:00 +0100", tick=False)
def test_demodata_er_deterministisk_for_et_froe_og_ligger_i_kontraktaaret(kontrakt_2025):
    call_command("demodata", aar=2025, forloeb=120, seed=7, stdout=StringIO())
    cvr = sorted(Virksomhed.objects.values_list("cvr", flat=True))
    gennemfoert = Forloeb.objects.filter(slutdato__isnull=False)
    assert gennemfoert.filter(slutdato__year=2025).count() >= gennemfoert.count() * 0.9
    assert not AITjek.objects.exclude(dato__year=2025).exists()
    assert Forloeb.history.filter(history_change_reason="Demodata").exists()
    Forloeb.objects.all().delete()
    for model in (AITjek, Programdeltagelse, Henvisning):
        model.objects.all().delete()
    Virksomhed.objects.all().delete()
    for model in (Aktivitet, Samarbejdsaftale, Maaling, MilepaelStatus):
        model.objects.all().delete()
    call_command("demodata", aar=2025, forloeb=120, seed=7, stdout=StringIO())
    assert sorted(Virksomhed.objects.values_list("cvr", flat=True)) == cvr


def test_demodata_uden_kontrakt_siger_hvad_der_mangler(db):
    with pytest.raises(CommandError, match="loaddata kontrakt_2025"):
        call_command("demodata", aar=2025)


def _demo_paa(dag, antal=150):
    with time_machine.travel(dag, tick=False):
        call_command("demodata", aar=2025, forloeb=antal, seed=11, stdout=StringIO())
    forloeb = {
        f.ekstern_id: (f.startdato, f.slutdato, f.virksomhed.cvr)
        for f in Forloeb.objects.select_related("virksomhed")
    }
    for model in (Henvisning, AITjek, Programdeltagelse, Forloeb, Virksomhed, Aktivitet,
                  Samarbejdsaftale, Maaling, MilepaelStatus):
        model.objects.all().delete()
    return forloeb


def test_demodata_midt_i_aaret_ligger_ikke_i_fremtiden(kontrakt_2025):
    # In May of the contract year: nothing after today, young companies founded by today
    with time_machine.travel("2025-05-01 10:00 +0200", tick=False):
        call_command("demodata", aar=2025, forloeb=200, stdout=StringIO())
    assert not Forloeb.objects.filter(startdato__gt=date(2025, 5, 1)).exists()
    assert not Forloeb.objects.filter(slutdato__gt=date(2025, 5, 1)).exists()
    assert not Virksomhed.objects.filter(stiftelsesdato__gt=date(2025, 5, 1)).exists()
    assert not AITjek.objects.filter(dato__gt=date(2025, 5, 1)).exists()
    assert not Maaling.objects.filter(dato__gt=date(2025, 5, 1)).exists()
    assert Forloeb.objects.filter(slutdato__isnull=True).exists()


def test_demodata_er_de_samme_poster_dag_for_dag(kontrakt_2025):
    # The same seed draws the same year on any day; a later day only adds and closes forløb
    foer = _demo_paa("2025-09-01 10:00 +0200")
    efter = _demo_paa("2025-09-02 10:00 +0200")
    assert set(foer) <= set(efter)
    for ekstern_id, (start, slut, cvr) in foer.items():
        start2, slut2, cvr2 = efter[ekstern_id]
        assert (start2, cvr2) == (start, cvr)
        assert slut2 == slut or (slut is None and slut2 == date(2025, 9, 2))
