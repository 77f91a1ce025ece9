"""The workbook import, mounted at /registrering/import/: upload, a run's page (dry run or
import in the background) and its JSON status, the confirmation, and the empty template."""

from django.urls import path

from . import views_import

app_name = "importer"
urlpatterns = [
    path("", views_import.upload, name="upload"),
    path("<int:pk>/", views_import.koersel, name="koersel"),
    path("<int:pk>/status/", views_import.koersel_status, name="koersel_status"),
    path("bekraeft/", views_import.bekraeft, name="bekraeft"),
    path("skabelon/", views_import.skabelon, name="skabelon"),
]
