"""Nothing the app answers may be kept by a browser's or a proxy's cache.

Every page but the login page shows a user's records or the contract's figures, and every
export is a workbook or a report of them; after logging out on a shared computer, the back
button or a proxy must not show them again. So every response this middleware sees gets
``Cache-Control: private, no-store`` (kept alongside what a view such as the login page already
set). Static files are served by whitenoise before the request reaches this middleware, and
keep their long cache.

:class:`OptagetMiddleware` answers a write that found the database busy (``kontrakt.db``).
"""

from django.db import OperationalError
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from . import db


class PrivatCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response


class OptagetMiddleware:
    """A write that found the database busy past its limit (``kontrakt.db.optaget``) and escaped
    its form's own handling: the Danish "prøv igen" page with 503 and ``Retry-After``, not a 500.
    The transaction was rolled back, so nothing of it is saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError) or not db.optaget(exception):
            return None
        response = render(request, "503.html", status=db.OPTAGET_STATUS)
        response["Retry-After"] = str(db.PROEV_IGEN_SEKUNDER)
        return response
