"""Small builders for hand-made record sets in tests; they go through the services. Records
belong to Erhvervshus Sjælland unless given ``erhvervshus``."""

from datetime import date
from itertools import count

from forloeb import services
from forloeb.models import Aktoer

_loebenr = count(1)


def gyldigt_cvr(n: int) -> str:
    """The n-th CVR (from 1) that passes modulus 11, deterministic and distinct per n."""
    vaegte = [2, 7, 6, 5, 4, 3, 2]
    fundet = 0
    kandidat = 1000000
    while True:
        kandidat += 1
        cifre = [int(c) for c in str(kandidat)]
        rest = -sum(c * v for c, v in zip(cifre, vaegte, strict=True)) % 11
        if rest < 10:
            fundet += 1
            if fundet == n:
                return f"{kandidat}{rest}"


def erhvervshus(navn="Erhvervshus Sjælland", *, region="1085"):
    """The house named ``navn``, created in ``region`` if missing (Sjælland: as the 2025 fixture
    names it)."""
    from maal.models import Erhvervshus

    hus = Erhvervshus.objects.filter(navn=navn).first()
    return hus or Erhvervshus.objects.create(navn=navn, region_id=region)


def virksomhed(*, kommune="330", stiftelsesdato=date(2000, 1, 1), cvr=None, navn=None):
    nr = next(_loebenr)
    return services.virksomhed_create(
        cvr=cvr or gyldigt_cvr(nr), navn=navn or f"Testvirksomhed {nr}", kommune=kommune,
        stiftelsesdato=stiftelsesdato,
    )


def forloeb(*, virksomhed_=None, type="kort", startdato=date(2025, 2, 1), slutdato=None,
            henvist_til=(), erhvervshus_=None, **ekstra):
    """A forløb; ``henvist_til`` names aktører (by name) referred to on its start date."""
    henvisninger = [
        {"aktoer": Aktoer.objects.get(navn=navn), "dato": startdato} for navn in henvist_til
    ]
    return services.forloeb_create(
        virksomhed=virksomhed_ or virksomhed(), type=type, startdato=startdato, slutdato=slutdato,
        henvisninger=henvisninger, erhvervshus=erhvervshus_ or erhvervshus(), **ekstra,
    )
