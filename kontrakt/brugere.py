"""The logged-in user of each request, with their permissions, kept per data version.

Django's ``ModelBackend`` loads the user on every request and their permissions on the first
check (two queries more): three round trips on a page that otherwise comes whole from the cache
(``kontrakt.dataversion``). :class:`Backend` keeps the user with their permissions filled in
until a table of users, groups or permissions is written: a user renamed, deactivated, given
a new password, put in or out of a group, or a group's permissions changed, is read anew on
their next request (``dataversion`` gives ``auth``'s tables tokens like the records'). A login
noting its time is no such write: ``last_login`` on the kept user may be a login behind.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from . import dataversion


def _tabeller(user_id):
    """What a user and their permissions are read from."""
    bruger = get_user_model()
    return [bruger.objects.filter(pk=user_id), Group.objects.all(), Permission.objects.all(),
            bruger.groups.through.objects.all(), bruger.user_permissions.through.objects.all(),
            Group.permissions.through.objects.all()]


class Backend(ModelBackend):
    """``ModelBackend`` (authentication, permissions, an inactive user refused), with
    :meth:`get_user` kept per data version."""

    def get_user(self, user_id):
        return dataversion.husk("bruger", (user_id,), lambda: _tabeller(user_id),
                                lambda: self._med_rettigheder(user_id))

    def _med_rettigheder(self, user_id):
        bruger = super().get_user(user_id)
        if bruger is not None:
            self.get_all_permissions(bruger)  # fills the user's permission caches, kept with it
        return bruger
