"""The status pages, mounted at /status/."""

from django.urls import path

from . import views, views_godkendelse, views_kvalitet, views_national, views_revision

app_name = "rapporter"
urlpatterns = [
    path("", views.status, name="status"),
    path("excel/", views.rapport_xlsx, name="xlsx"),
    path("json/", views.status_json, name="json"),
    path("maal/<int:nummer>/", views.maal_side, name="maal"),
    path("indikator/<str:noegle>/poster/", views.poster, name="poster"),
    path("igangvaerende/", views.igangvaerende, name="igangvaerende"),
    path("indikator/<str:noegle>/milepael/", views.milepael_ny, name="milepael_ny"),
    path("maaling/ny/", views.maaling_ny, name="maaling_ny"),
    path("datakvalitet/", views_kvalitet.datakvalitet, name="datakvalitet"),
    path("forklaringer/", views_godkendelse.forklaringer, name="forklaringer"),
    path("godkend/", views_godkendelse.godkend, name="godkend"),
    path("revision/", views_revision.revision_side, name="revision"),
    path("revision/eksport/", views_revision.revision_eksport, name="revision_eksport"),
    path("national/", views_national.national_side, name="national"),
    path("national/excel/", views_national.national_xlsx, name="national_xlsx"),
]
