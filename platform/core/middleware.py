from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control

from core.errors import DomainError, NotFound, PermissionDenied


class PrivateCacheMiddleware:
    """Pages may show family data: never let a browser or proxy keep them.

    Static files are served by WhiteNoise before this runs and keep their own long cache headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class DomainErrorMiddleware:
    """The one place where a refusal from a service becomes a page, so views just call services:
    NotFound is the 404 page (the same as for an address that does not exist: nothing is
    revealed), PermissionDenied the 403 page with the service's reason, and any other DomainError
    that no form caught its own status with the 400 page and its message (never a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            return render(request, "404.html", status=404)
        if isinstance(exception, PermissionDenied):
            return render(request, "403.html", {"exception": str(exception.detail)}, status=403)
        if isinstance(exception, DomainError):
            return render(request, "400.html", {"exception": str(exception.detail)}, status=exception.status)
        return None
