"""The admin site: open to the role Administrator, not to a flag.

Django's own site lets in users with ``is_staff``; here the admin is where the role
*Administrator* configures contracts, targets and reference data and gives users their roles,
so :meth:`KontraktAdminSite.has_permission` asks for the role itself (an active superuser or a
member of the group, :func:`maal.roller.er_administrator`). Giving or taking the group in the
admin or with ``groups.add`` is then all there is to it; an ``is_staff`` kept in step by a
signal could drift from the group (a fixture, a raw update, a restored backup) and would be a
second place to look. What a member may do inside is still the group's model permissions.

Everyone else never reaches the admin, as in the rest of the app: anonymous (and inactive)
users are sent to the app's own login page ``/login/``, and a logged-in user without the role
gets the 403 page. The admin has no login form of its own.

The site replaces ``admin.site`` through ``kontrakt.apps.AdminConfig.default_site``, so every
``@admin.register`` (ours, auth's, django-axes') lands here.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from maal.roller import er_administrator


class KontraktAdminSite(admin.AdminSite):
    site_header = "Resultatkontrakt – administration"
    site_title = "Resultatkontrakt"
    index_title = "Administration"

    def has_permission(self, request):
        return er_administrator(request.user)

    def admin_view(self, view, cacheable=False):
        beskyttet = super().admin_view(view, cacheable)

        @wraps(beskyttet)
        def inner(request, *args, **kwargs):
            if not self.has_permission(request):
                return self._afvis(request, request.get_full_path())
            return beskyttet(request, *args, **kwargs)

        return inner if cacheable else never_cache(inner)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """``/admin/login/``: to the admin for an administrator, else as :meth:`admin_view`."""
        index = reverse("admin:index", current_app=self.name)
        if self.has_permission(request):
            return HttpResponseRedirect(index)
        return self._afvis(request, index)

    @staticmethod
    def _afvis(request, naeste):
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(naeste)  # settings.LOGIN_URL: the app's login page
