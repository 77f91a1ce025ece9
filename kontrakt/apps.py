from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class KontraktConfig(AppConfig):
    name = "kontrakt"
    verbose_name = "Fælles"


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site (``kontrakt.admin``) as ``admin.site``.

    Listed in INSTALLED_APPS instead of ``django.contrib.admin``. ``default = False`` keeps
    ``kontrakt`` itself on :class:`KontraktConfig`.
    """

    default = False
    default_site = "kontrakt.admin.KontraktAdminSite"
