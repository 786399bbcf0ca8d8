from contextlib import contextmanager

from django.shortcuts import render

from core.errors import DomainError, NotFound, PermissionDenied


def csrf_failure(request, reason=""):
    """A form that stayed open too long (or a cookie that went missing): say so kindly."""
    return render(request, "403_csrf.html", status=403)


@contextmanager
def refusals_on_form(form, field: str | None = None):
    """Around a service call for a posted form: when the service refuses the input (Invalid,
    Conflict, RateLimited), its reason becomes an error on `field` (or on the whole form), so the
    view renders the same page again with the user's input; `form.errors` then says so.

    NotFound and PermissionDenied are not about the input: they propagate, and
    core.middleware.DomainErrorMiddleware shows the 404 or 403 page."""
    try:
        yield
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        form.add_error(field, str(exc.detail))
