from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.shortcuts import render

from core.errors import DomainError, NotFound, PermissionDenied


def csrf_failure(request, reason=""):
    """A form that stayed open too long (or a cookie that went missing): say so kindly."""
    return render(request, "403_csrf.html", status=403)


def run_for_form(request, call, *, success: str) -> None:
    """Run `call()` (a service) for a posted form and tell the user how it went on the next page:
    a non-member gets a 404 (nothing revealed), a member whose role does not allow it a 403, and
    any other refusal shows as an error message; success shows `success`."""
    try:
        call()
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise HttpForbidden from None
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, success)
