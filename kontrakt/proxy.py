"""The client's address when the app runs behind ``PROXY_ANTAL`` trusted proxies (README,
Production), for django-axes' record of each login attempt (``AXES_CLIENT_IP_CALLABLE``).

Behind proxies, ``REMOTE_ADDR`` is the nearest proxy's address. Each proxy appends the address
it was reached from to ``X-Forwarded-For`` (nginx: ``$proxy_add_x_forwarded_for``), so with N
proxies the client's address is the N-th entry from the right; the entries left of it are
whatever the client itself sent and are never trusted. django-axes would use django-ipware here
if it were installed; this function says the same in a few lines, without that dependency.
"""

from ipaddress import ip_address

from django.conf import settings


def klientens_ip(request) -> str | None:
    """The N-th address from the right of ``X-Forwarded-For`` for N = ``PROXY_ANTAL``;
    ``REMOTE_ADDR`` with no proxies, and when the header is shorter than the chain or that entry
    is no IP address (the request did not come the configured way)."""
    antal = settings.PROXY_ANTAL
    if antal:
        kaede = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(kaede) >= antal:
            try:
                return str(ip_address(kaede[-antal]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")
