"""The history records who changed a forløb, when and what."""

from datetime import date

import pytest

from forloeb import services
from tests import factories

pytestmark = pytest.mark.django_db


def test_historikken_viser_hvem_der_oprettede_og_aendrede_et_forloeb(registrant, administrator):
    forloeb = factories.forloeb(bruger=registrant, startdato=date(2025, 3, 1))
    services.opdater(forloeb, bruger=administrator, aarsag="Rettet slutdato",
                     slutdato=date(2025, 4, 1))

    oprettelse, aendring = forloeb.history.order_by("history_date")
    assert oprettelse.history_type == "+"
    assert oprettelse.history_user == registrant
    assert aendring.history_type == "~"
    assert aendring.history_user == administrator
    assert aendring.history_change_reason == "Rettet slutdato"
    forskel = aendring.diff_against(oprettelse)
    assert [(c.field, c.old, c.new) for c in forskel.changes] == [
        ("slutdato", None, date(2025, 4, 1))
    ]
    assert forloeb.oprettet_af == registrant


def test_sletning_gemmes_i_historikken_med_brugeren(registrant):
    forloeb = factories.forloeb(bruger=registrant)
    pk = forloeb.pk
    services.slet(forloeb, bruger=registrant, aarsag="Fejlregistrering")
    sletning = forloeb.history.model.objects.filter(id=pk).latest("history_date")
    assert sletning.history_type == "-"
    assert sletning.history_user == registrant
    assert sletning.history_change_reason == "Fejlregistrering"


def test_emner_og_henvisninger_kommer_med_i_historikken(registrant):
    forloeb = factories.forloeb(bruger=registrant, emner=["ai", "eksport"],
                                henvist_til=["Innovationsfonden"])
    assert sorted(forloeb.emner.values_list("kode", flat=True)) == ["ai", "eksport"]
    henvisning = forloeb.henvisninger.get()
    assert henvisning.history.get().history_user == registrant
