"""CVR validation: valid, invalid, formatting."""

import pytest
from django.core.exceptions import ValidationError

from forloeb.validators import normaliser_cvr, valider_cvr


@pytest.mark.parametrize("cvr", ["13585628", "25313763", "10403782"])
def test_gyldige_cvr_godkendes(cvr):
    valider_cvr(cvr)


@pytest.mark.parametrize(
    ("indtastet", "normaliseret"),
    [("DK 13 58 56 28", "13585628"), ("13-58-56-28", "13585628"), (" 13585628 ", "13585628")],
)
def test_cvr_med_mellemrum_bindestreg_og_landekode_normaliseres(indtastet, normaliseret):
    assert normaliser_cvr(indtastet) == normaliseret
    valider_cvr(indtastet)


@pytest.mark.parametrize(
    ("cvr", "besked"),
    [
        ("13585627", "kontrolcifferet passer ikke"),
        ("1358562", "8 cifre"),
        ("135856281", "8 cifre"),
        ("1358562A", "kun af cifre"),
        ("03585628", "kun af cifre"),
        ("", "8 cifre"),
    ],
)
def test_ugyldige_cvr_afvises_med_dansk_besked(cvr, besked):
    with pytest.raises(ValidationError) as fejl:
        valider_cvr(cvr)
    assert besked in fejl.value.messages[0]
