"""The workbook import, mounted at /registrering/import/: upload with dry run, confirmation and
the empty template."""

from django.urls import path

from . import views_import

app_name = "importer"
urlpatterns = [
    path("", views_import.upload, name="upload"),
    path("bekraeft/", views_import.bekraeft, name="bekraeft"),
    path("skabelon/", views_import.skabelon, name="skabelon"),
]
