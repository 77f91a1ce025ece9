"""A National læser logs in, lands on the national overview and sees the houses side by side."""

import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from maal.models import Erhvervshus
from maal.roller import NATIONAL_LAESER
from tests.rapporter.test_national import ivaerksaettere, kopier_til

from .conftest import log_ind, skaermbillede

pytestmark = [
    pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)
]
SKAERMBILLEDER = Path("/tmp/skaermbilleder")


def test_a_national_reader_sees_the_houses_compared(side, live_server, kontrakt_2025,
                                                    django_user_model):
    bruger = django_user_model.objects.create_user(username="erst",
                                                   password="hemmeligt-kodeord")
    bruger.groups.add(Group.objects.get(name=NATIONAL_LAESER))
    hovedstaden = Erhvervshus.objects.get(navn="Erhvervshus Hovedstaden")
    kopier_til(kontrakt_2025, hovedstaden, maalvaerdi=Decimal(385))
    with time_machine.travel(datetime(2025, 7, 15, 12, tzinfo=ZoneInfo("Europe/Copenhagen"))):
        ivaerksaettere(kontrakt_2025.erhvervshus, 3)
        ivaerksaettere(hovedstaden, 2)
    log_ind(side, live_server, "erst")
    side.goto(f"{live_server.url}/status/national/?aar=2025&periode=H1")
    expect(side.get_by_role("heading", level=1)).to_have_text(
        "Nationalt overblik: 1. halvår 2025")
    expect(side.locator("#m1-tabel")).to_contain_text("ingen kontrakt")
    expect(side.get_by_role("link", name="Nationalt overblik")).to_be_visible()
    expect(side.get_by_role("link", name="Status", exact=True)).to_have_count(0)
    sti = skaermbillede(side, "national")
    SKAERMBILLEDER.mkdir(parents=True, exist_ok=True)
    shutil.copy(sti, SKAERMBILLEDER / "national.png")
