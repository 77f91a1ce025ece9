"""Nothing the app answers may be kept by a browser's or a proxy's cache.

Every page but the login page shows a user's records or the contract's figures, and every
export is a workbook or a report of them; after logging out on a shared computer, the back
button or a proxy must not show them again. So every response this middleware sees gets
``Cache-Control: private, no-store`` (kept alongside what a view such as the login page already
set). Static files are served by whitenoise before the request reaches this middleware, and
keep their long cache.
"""

from django.utils.cache import patch_cache_control


class PrivatCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response
