"""Registration URLs, mounted at /registrering/. Every record kind has a list, an Excel export and
(except henvisninger, which are entered on their forløb) create, change and delete pages, named
``forloeb:<kind>_liste``, ``_eksport``, ``_opret``, ``_ret`` and ``_slet``."""

from django.urls import path

from . import views
from .views import ARTER

app_name = "forloeb"


def sider(praefiks: str, slug: str, noegle: str = "<int:pk>") -> list:
    """List, export, create, change and delete of one record kind."""
    art = {"art": ARTER[slug]}
    sti = [
        path(f"{praefiks}/", views.liste, art, name=f"{slug}_liste"),
        path(f"{praefiks}/eksport/", views.eksport, art, name=f"{slug}_eksport"),
    ]
    if ARTER[slug].opret is not None:
        sti += [
            path(f"{praefiks}/ny/", views.opret, art, name=f"{slug}_opret"),
            path(f"{praefiks}/{noegle}/ret/", views.ret, art, name=f"{slug}_ret"),
        ]
    if slug != "henvisning":
        sti.append(path(f"{praefiks}/{noegle}/slet/", views.slet, art, name=f"{slug}_slet"))
    return sti


urlpatterns = [
    path("", views.oversigt, name="oversigt"),
    path("forloeb/ny/", views.forloeb_opret, name="forloeb_opret"),
    path("forloeb/<int:pk>/ret/", views.forloeb_ret, name="forloeb_ret"),
    path("virksomheder/soeg/", views.virksomhed_soeg, name="virksomhed_soeg"),
    *sider("forloeb", "forloeb"),
    *sider("virksomheder", "virksomhed", "<str:cvr>"),
    # After the list's own pages, so that "ny" and "eksport" are not taken for a CVR.
    path("virksomheder/<str:cvr>/", views.virksomhed_side, name="virksomhed_side"),
    *sider("henvisninger", "henvisning"),
    *sider("ai-tjek", "ai_tjek"),
    *sider("aktiviteter", "aktivitet"),
    *sider("programdeltagelser", "programdeltagelse"),
    *sider("samarbejdsaftaler", "samarbejdsaftale"),
]
