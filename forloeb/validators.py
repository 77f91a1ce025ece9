"""Validation of Danish identifiers, with messages in Danish."""

from django.core.exceptions import ValidationError
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def normaliser_cvr(value: str) -> str:
    """'DK 1234 5678' and '12-34-56-78' become '12345678'; anything else is returned stripped."""
    return stdnum_cvr.compact(str(value or "")).removeprefix("DK")


def normaliser_navn(value) -> str:
    """A name as it is kept: no spaces before or after, inner whitespace one space."""
    return " ".join(str(value or "").split())


def valider_cvr(value: str) -> None:
    """Raise a Danish ValidationError unless ``value`` is an 8-digit CVR passing modulus 11."""
    if not normaliser_cvr(value):
        raise ValidationError("Et CVR-nummer har 8 cifre.", code="cvr_laengde")
    try:
        stdnum_cvr.validate(normaliser_cvr(value))
    except InvalidLength:
        raise ValidationError("Et CVR-nummer har 8 cifre.", code="cvr_laengde") from None
    except InvalidFormat:
        raise ValidationError(
            "Et CVR-nummer består kun af cifre og kan ikke begynde med 0.", code="cvr_format"
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            "%(value)s er ikke et gyldigt CVR-nummer (kontrolcifferet passer ikke).",
            code="cvr_kontrol",
            params={"value": value},
        ) from None
    except StdnumError:
        raise ValidationError("Ugyldigt CVR-nummer.", code="cvr") from None


FOERSTE_AAR = 2015


def valider_registreringsdato(value) -> None:
    """A registration's date lies in the contract years: from 2015 to next year."""
    from django.utils import timezone

    sidste_aar = timezone.localdate().year + 1
    if value is not None and not (FOERSTE_AAR <= value.year <= sidste_aar):
        raise ValidationError(
            "Datoen %(dato)s ligger uden for kontraktårene (%(fra)s–%(til)s). "
            "Er årstallet rigtigt?",
            code="dato_uden_for",
            params={"dato": value.strftime("%d-%m-%Y"), "fra": FOERSTE_AAR, "til": sidste_aar},
        )
