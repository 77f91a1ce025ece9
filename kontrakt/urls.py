"""Root URLs: the front page, login and password change, the admin, each app under its prefix."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.forside, name="forside"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("adgangskode/", auth_views.PasswordChangeView.as_view(
        template_name="registration/adgangskode_form.html"), name="password_change"),
    path("adgangskode/skiftet/", auth_views.PasswordChangeDoneView.as_view(
        template_name="registration/adgangskode_skiftet.html"), name="password_change_done"),
    path("registrering/import/", include("forloeb.urls_import")),
    path("registrering/", include("forloeb.urls")),
    path("status/", include("rapporter.urls")),
    path("admin/", admin.site.urls),  # kontrakt.admin.KontraktAdminSite: for Administrator
]
