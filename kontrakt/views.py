"""The front page: sends each kind of user to where they work.

A KKR-læser only reads status, so they go straight to the status page; a National læser to
the national overview. Registrants and
administrators get their own work first, with the headline status of the current period.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from maal.roller import er_administrator
from rapporter.views import status_overblik


@login_required
def forside(request):
    bruger = request.user
    kan_se_status = bruger.has_perm("maal.se_status")
    kan_registrere = bruger.has_perm("forloeb.add_forloeb")
    kan_administrere = er_administrator(bruger)  # the admin lets in the role, not is_staff
    if kan_se_status and not kan_registrere and not kan_administrere:
        return redirect("rapporter:status")
    if not kan_se_status and not kan_registrere and bruger.has_perm("maal.se_national"):
        return redirect("rapporter:national")  # a National læser (KL, Erhvervsstyrelsen)
    return render(request, "forside.html", {
        "kan_se_status": kan_se_status,
        "kan_registrere": kan_registrere,
        "kan_administrere": kan_administrere,
        "overblik": status_overblik(timezone.localdate(), request.user) if kan_se_status else None,
    })
