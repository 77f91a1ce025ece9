"""The data-quality page (/status/datakvalitet/): the flags of ``rapporter.kvalitet`` with their
counts and the records behind them, for administrators and KKR-læsere (read only).

Registrants may see the status pages but not this one: it names other users' work, so it has a
permission of its own, ``maal.se_datakvalitet`` (the roles Administrator and KKR-læser).
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from . import kvalitet
from .views import _ugyldig, _valg


@login_required
@permission_required("maal.se_datakvalitet", raise_exception=True)
def datakvalitet(request):
    """The flags for the period chosen as on the status page, or for all time (``?alle=1``)."""
    valg = _valg(request)
    if not valg.is_valid():
        return _ugyldig(request, valg)
    alle = request.GET.get("alle") == "1"
    periode = None if alle else valg.valgt_periode
    return render(request, "rapporter/datakvalitet.html", {
        "valg": valg, "alle": alle, "periode": periode,
        "flag": kvalitet.flag(periode, valg.kontrakt.erhvervshus_id),
        "vis_hoejst": kvalitet.VIS_HOEJST,
    })
