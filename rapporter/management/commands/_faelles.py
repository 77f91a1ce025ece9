"""What the report commands share: Danish errors with exit code 2 and choosing the contract."""

from django.core.management.base import CommandError

from maal.models import Resultatkontrakt


def fejl(besked: str) -> CommandError:
    return CommandError(besked, returncode=2)


def find_kontrakt(aar: int | None, erhvervshus: str) -> Resultatkontrakt:
    """The contract of ``aar`` (the newest year without it) and of the house named, when there
    are several; a Danish error naming the known years or the houses otherwise."""
    if aar is None:
        aar = Resultatkontrakt.objects.order_by("-aar").values_list("aar", flat=True).first()
        if aar is None:
            raise fejl("Der er endnu ingen resultatkontrakt. Indlæs den først, f.eks. "
                       "python manage.py loaddata kontrakt_2025.")
    kontrakter = Resultatkontrakt.objects.filter(aar=aar).select_related("erhvervshus")
    if erhvervshus:
        kontrakter = kontrakter.filter(erhvervshus__navn__iexact=erhvervshus.strip())
    kontrakter = list(kontrakter)
    if not kontrakter:
        hus = f" for {erhvervshus}" if erhvervshus else ""
        kendte = sorted(set(Resultatkontrakt.objects.values_list("aar", flat=True)))
        kendt = ", ".join(map(str, kendte)) or "ingen"
        raise fejl(f"Der er ingen resultatkontrakt{hus} for {aar} (kendte år: {kendt}).")
    if len(kontrakter) > 1:
        huse = ", ".join(k.erhvervshus.navn for k in kontrakter)
        raise fejl(f"Der er flere kontrakter for {aar} ({huse}): angiv --erhvervshus.")
    return kontrakter[0]
