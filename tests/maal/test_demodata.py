"""The demo command fills the year through the services and does not duplicate on a rerun."""

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
