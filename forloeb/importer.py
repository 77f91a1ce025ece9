"""Import of the registration workbook (``IMPORTFORMAT.md``): the public entry point.

The import lives in ``forloeb.arbejdsbog`` (sheets described once in ``ark``, one engine in
``motor``: read with limits → check with the models' own rules → plan → write in one short
transaction). Callers import from here: :func:`importer` and what its answer holds.
"""

from .arbejdsbog.motor import Fremskridt, importer
from .arbejdsbog.svar import (
    AARSAG_MAKS,
    MAKS_FEJL,
    MAKS_VIST,
    Fejl,
    Opgoerelse,
    Resultat,
    aarsag_fejl,
    aarsag_for,
    for_stor_besked,
)

__all__ = [
    "AARSAG_MAKS", "MAKS_FEJL", "MAKS_VIST", "Fejl", "Fremskridt", "Opgoerelse", "Resultat",
    "aarsag_fejl", "aarsag_for", "for_stor_besked", "importer",
]
