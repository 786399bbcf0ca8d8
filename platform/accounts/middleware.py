from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.sessions import session_is_current, session_touch
from audit import actions
from audit.services import audit_record

# Reachable without logging in at all.
PUBLIC_URL_NAMES = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:language",
    "families:invitation_accept",
    "manifest",
    "healthz",
}
PUBLIC_URL_NAMES |= {"accounts:privacy"}  # what is kept and why: readable before an account exists
# Reachable after the password, before the second factor.
HALF_LOGGED_IN_URL_NAMES = {"accounts:verify", "accounts:enrol", "accounts:enrol_email", "accounts:logout"}


class SessionLimitsMiddleware:
    """Ends a session that has been idle too long or is older than the absolute limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if session_is_current(request.session):
                session_touch(request.session)
            else:
                audit_record(action=actions.SESSION_EXPIRED, actor=request.user, subject_user=request.user,
                             request=request)
                logout(request)
                messages.info(request, _("Je was een tijd niet actief, dus we hebben je uitgelogd. "
                                         "Log opnieuw in."))
        return self.get_response(request)


# A language chosen before the second factor (on the login or code page), kept in the session until
# the user is verified, then stored on the user.
LANGUAGE_CHOSEN_KEY = "_language_chosen"


class UserLanguageMiddleware:
    """A logged-in user's own language wins over the browser's and the cookie, on every page.

    A language chosen at login (before the second factor) is shown at once and stored on the user
    once they are verified: someone with only the password changes nothing stored. The language
    cookie follows the user's language, so the login page after logging out speaks it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user, language = request.user, None
        if user.is_authenticated:
            chosen = request.session.get(LANGUAGE_CHOSEN_KEY)
            if chosen not in dict(settings.LANGUAGES):
                chosen = None
            if chosen and user.is_verified():
                from accounts.services import language_set

                language_set(request=request, user=user, language=chosen)
                del request.session[LANGUAGE_CHOSEN_KEY]
                chosen = None
            language = chosen or user.language
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if (language in dict(settings.LANGUAGES) and request.user.is_authenticated  # not logged out meanwhile
                and settings.LANGUAGE_COOKIE_NAME not in response.cookies
                and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language):
            language_cookie_set(response, language)
        return response


def language_cookie_set(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        httponly=True,
    )


class RequireVerifiedMiddleware:
    """Two factors for every page: only login, enrolment, language switch and static files
    (served before this) are open; a password-only session reaches only the second-factor pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        # Django's own mark for a view that needs no login (login_not_required): the calendar feed,
        # whose secret address is its key.
        if name in PUBLIC_URL_NAMES or getattr(match.func, "login_required", True) is False:
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
        if name in HALF_LOGGED_IN_URL_NAMES or user.is_verified():
            return self.get_response(request)
        from accounts.services import user_has_second_factor

        target = "accounts:verify" if user_has_second_factor(user) else "accounts:enrol"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
