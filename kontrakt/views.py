"""The front page: sends each kind of user to where they work."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from maal.roller import ADMINISTRATOR, KKR_LAESER, REGISTRANT


@login_required
def forside(request):
    grupper = set(request.user.groups.values_list("name", flat=True))
    return render(
        request,
        "forside.html",
        {
            "er_registrant": REGISTRANT in grupper or request.user.is_superuser,
            "er_laeser": KKR_LAESER in grupper,
            "er_admin": ADMINISTRATOR in grupper or request.user.is_superuser,
        },
    )
