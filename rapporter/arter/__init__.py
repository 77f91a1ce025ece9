"""The indicator kinds, one module each, and the registry keyed by ``art``.

Each kind (:class:`rapporter.arter.base.Art`) owns what differs between kinds: its parameter
schema (``maal/parametre.py``'s :data:`~maal.parametre.SKEMAER`, beside the model that validates
it), the counts it asks of the shared aggregate, its pure rule in ``rapporter.beregning``, its
drill-down and the hints the pages, charts, Excel and JSON need. Nothing else branches on ``art``:
the engine, the goal page, the workbook and the JSON ask :func:`art` for the kind, as
djangoproject.com's dashboard asks a metric.

A new kind is a new module here with a subclass marked ``@registrer``; it is found on import.
"""

from importlib import import_module
from pkgutil import iter_modules

from .base import ARTER, Art, Grundtal, Optaelling, registrer


def art(navn: str) -> Art:
    """The kind called ``navn``; ValueError for an unknown one."""
    try:
        return ARTER[navn]
    except KeyError:
        raise ValueError(f"Ukendt indikatorart '{navn}'.") from None


for _modul in iter_modules(__path__):
    if _modul.name != "base":
        import_module(f"{__name__}.{_modul.name}")

__all__ = ["ARTER", "Art", "Grundtal", "Optaelling", "art", "registrer"]
