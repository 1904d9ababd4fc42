"""Who is on the other end of a request, behind the reverse proxies the portal trusts."""

import ipaddress
from functools import cache

from django.conf import settings


@cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address) -> bool:
    return any(address in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, unless that is a trusted proxy (settings.TRUSTED_PROXIES);
    then the nearest address in X-Forwarded-For that is not one.

    Behind nginx every request comes from the proxy's address; trusting X-Forwarded-For from anyone
    else would let a client pick any address it likes. Throttles key on this address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    try:
        if not _is_trusted(ipaddress.ip_address(remote)):
            return remote
    except ValueError:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            address = ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a hop the proxy did not write: trust nothing further
        if not _is_trusted(address):
            return str(address)
    return remote
