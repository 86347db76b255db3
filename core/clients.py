"""Who the client is, when the app runs behind proxies.

`REMOTE_ADDR` is whoever opened the connection: behind nginx that is nginx, for every citizen.
A proxy we trust (settings.TRUSTED_PROXIES) appends the address it saw to `X-Forwarded-For`,
so walking the chain `X-Forwarded-For` + `REMOTE_ADDR` from the right, the first address that
is not one of our proxies is the client. Everything left of it was written by the client or
by proxies we do not know, and may be forged: it is never looked at.

Every rate limit (core/ratelimit.py), the login lockout (django-axes, AXES_CLIENT_IP_CALLABLE)
and anything else that records a client asks this one function (axes through
config.login.login_client_address)."""

import ipaddress
from collections.abc import Sequence

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_networks(raw: str) -> list[Network]:
    """`10.0.0.1, 192.168.0.0/16, ::1` → networks; raises ValueError naming the bad entry."""
    networks = []
    for entry in (item.strip() for item in raw.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ValueError(f"{entry!r} is not an IP address or network") from error
    return networks


def parse_address(text: str) -> Address | None:
    """An address as proxies write it: plain, `[v6]`, `[v6]:port` or `v4:port`; None if not one."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_trusted(address: Address, trusted: Sequence[Network]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def client_address(request) -> str:
    """The address of the client that sent `request`, as a string ('' if nothing usable)."""
    remote = parse_address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return ""
    trusted = settings.TRUSTED_PROXIES
    if not is_trusted(remote, trusted):
        return str(remote)
    # Several X-Forwarded-For headers arrive joined with commas, in order.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    nearest = remote
    for entry in reversed(forwarded):
        address = parse_address(entry)
        if address is None:
            # Our proxy appends what it saw, always an address: rubbish further left came
            # from the other side, so the last hop we trust is all we know of the client.
            return str(nearest)
        if not is_trusted(address, trusted):
            return str(address)
        nearest = address
    return str(nearest)
