"""The registration workbook (``IMPORTFORMAT.md``).

- :mod:`.ark` describes each sheet once: columns, how a cell is read, key, model.
- :mod:`.skabelon` writes records in that layout (export, template, report sheets).
- The import: :mod:`.laes` reads with limits, :mod:`.celler` interprets cells, :mod:`.tjek`
  checks each row with its model's own rules and plans it, :mod:`.skriv` writes the plan, and
  :mod:`.motor` runs the four (``forloeb.importer.importer`` is its entry point).
"""

from .ark import (
    AKTOERTYPER,
    ARK,
    ARK_EFTER_NORMALISERET,
    ARK_NAVNE,
    HENVISNING_AKTOERTYPER,
    LISTESKILLE,
    VEJLEDNINGSARK,
    VEJLEDNINGSMAERKE,
    Ark,
    Kolonne,
    ja_nej,
    liste,
    normaliser_overskrift,
)
from .skabelon import (
    DATOFORMAT,
    MAKS_BREDDE,
    OVERSKRIFT_FONT,
    OVERSKRIFT_FYLD,
    SKRIFT,
    bredde,
    celle,
    er_formelagtig,
    raekker,
    sikker_raekke,
    skriv_arbejdsbog,
    skriv_ark,
    skriv_skabelon,
    skriv_tabel,
    som_bytes,
)

__all__ = [
    "AKTOERTYPER", "ARK", "ARK_EFTER_NORMALISERET", "ARK_NAVNE", "DATOFORMAT",
    "HENVISNING_AKTOERTYPER", "LISTESKILLE", "MAKS_BREDDE", "OVERSKRIFT_FONT", "OVERSKRIFT_FYLD",
    "SKRIFT",
    "VEJLEDNINGSARK", "VEJLEDNINGSMAERKE", "Ark", "Kolonne", "bredde", "celle", "er_formelagtig",
    "ja_nej", "liste", "normaliser_overskrift", "raekker", "sikker_raekke", "skriv_arbejdsbog",
    "skriv_ark", "skriv_skabelon", "skriv_tabel", "som_bytes",
]
