"""One small error tree. Services raise these; consumers turn them into error frames,
views into form errors or 4xx responses. Codes are stable: clients rely on them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "invalid"
    status = 400
    default_detail = _("Dit verzoek kon niet worden verwerkt.")

    def __init__(self, detail=None, *, code: str | None = None):
        self.detail = detail if detail is not None else self.default_detail
        if code:
            self.code = code
        super().__init__(str(self.detail))


class Invalid(DomainError):
    code = "invalid"
    status = 400
    default_detail = _("Dit klopt niet helemaal. Controleer wat je hebt ingevuld en probeer het opnieuw.")


class NotFound(DomainError):
    """Also used for 'exists but not yours': an outsider must not learn that something exists."""

    code = "not_found"
    status = 404
    default_detail = _("Dit bestaat niet, of je hebt er geen toegang toe.")


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403
    default_detail = _("Dit mag je in deze rol niet doen.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_detail = _("Iemand anders was je net voor. Bekijk de nieuwste versie en probeer het opnieuw.")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_detail = _("Even rustig aan: wacht een moment en probeer het dan opnieuw.")
