"""Root URLs: the front page, login, the admin and each app under its own prefix."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.forside, name="forside"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("registrering/import/", include("forloeb.urls_import")),
    path("registrering/", include("forloeb.urls")),
    path("status/", include("rapporter.urls")),
    path("admin/", admin.site.urls),  # kontrakt.admin.KontraktAdminSite: for Administrator
]
