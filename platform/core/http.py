def client_ip(request) -> str | None:
    """The client's address, from REMOTE_ADDR only.

    Behind a reverse proxy, Daphne runs with --proxy-headers and the proxy SETS X-Forwarded-For
    to the client's address (not appends to it): Daphne then puts that address in REMOTE_ADDR.
    The application itself never reads forwarding headers, which a client could forge.
    """
    return request.META.get("REMOTE_ADDR") or None
