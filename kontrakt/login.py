"""The login page when django-axes has locked a user name.

The page is the ordinary login page with one message: locked, for how long, what to do. It is
the same for a user name that does not exist, so a lockout tells nobody which names are real.
"""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render


def laast_besked() -> str:
    minutter = settings.AXES_COOLOFF_MINUTTER
    if not minutter:
        return (f"Kontoen er låst efter {settings.AXES_FAILURE_LIMIT} forkerte forsøg på at "
                "logge ind. Bed en administrator om at låse den op.")
    varighed = "1 minut" if minutter == 1 else f"{minutter} minutter"
    return (f"Kontoen er låst i {varighed} efter {settings.AXES_FAILURE_LIMIT} forkerte forsøg "
            "på at logge ind. Prøv igen senere, eller bed en administrator om at låse den op.")


def laast_svar(request, original_response=None, credentials=None):
    """axes' AXES_LOCKOUT_CALLABLE: the login page with the lockout message, status 429."""
    # An unbound form: binding the posted data would try to authenticate once more.
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    return render(request, "registration/login.html", {
        "form": form,
        "laast": laast_besked(),
        "next": request.POST.get("next", request.GET.get("next", "")),
    }, status=settings.AXES_HTTP_RESPONSE_CODE)
