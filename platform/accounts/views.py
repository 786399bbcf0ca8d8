from __future__ import annotations

import time
from base64 import b32encode
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import recovery, services, throttle
from accounts.devices import account_sessions, device_sign_out, session_sign_out, trusted_device_cookie_set
from accounts.forms import (
    EnrolForm,
    LoginForm,
    PasswordChangeForm,
    PasswordConfirmForm,
    PasswordResetRequestForm,
    ResetSetPasswordForm,
    VerifyForm,
)
from accounts.models import BackupCodeDevice
from core.errors import Invalid, NotFound, RateLimited
from core.views import refusals_on_form

REPLACE_OK_KEY = "_replace_authenticator_ok"


def _next_url(request, default="families:home"):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def _with_device_cookie(request, response):
    """After a full two-factor login: the trusted-device cookie (accounts.devices)."""
    value = getattr(request, "trusted_device_cookie", None)
    if value:
        trusted_device_cookie_set(response, value)
    return response


def _after_password(request):
    target = "accounts:verify" if services.user_has_second_factor(request.user) else "accounts:enrol"
    return redirect(f"{reverse(target)}?{urlencode({'next': _next_url(request)})}")


def login_view(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.login_password(request=request, email=form.cleaned_data["email"],
                                    password=form.cleaned_data["password"])
        except RateLimited as exc:
            return render(request, "accounts/locked_out.html", {"detail": exc.detail}, status=429)
        except Invalid as exc:
            form.add_error(None, exc.detail)
        else:
            return _after_password(request)
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def verify_view(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not services.user_has_second_factor(request.user):
        return redirect("accounts:enrol")
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form, "code"):
            device = services.second_factor_verify(
                request=request, user=request.user, token=form.cleaned_data["code"]
            )
        if not form.errors:
            if isinstance(device, BackupCodeDevice):
                left = device.remaining()
                messages.warning(
                    request,
                    _("Je hebt een back-upcode gebruikt. Je hebt er nog %(n)d over.") % {"n": left}
                    + " " + _("Telefoon kwijt? Koppel je nieuwe telefoon onder Account."),
                )
            return _with_device_cookie(request, redirect(_next_url(request)))
    return render(request, "accounts/verify.html", {"form": form, "next": request.GET.get("next", "")})


def _may_enrol(request) -> bool:
    """A first authenticator after the password; a replacement only right after a valid code."""
    if not services.user_has_second_factor(request.user):
        return True
    ok_at = request.session.get(REPLACE_OK_KEY)
    return bool(request.user.is_verified() and ok_at and time.time() - ok_at < 10 * 60)


def _needs_email_first(request) -> bool:
    """After a second-factor reset, a new authenticator is linked only in a session that came in
    through a password-reset link (accounts.recovery)."""
    return (request.user.enrolment_needs_email and not services.user_has_second_factor(request.user)
            and not request.session.get(services.MAIL_PROOF_SESSION_KEY))


def enrol_view(request):
    if not _may_enrol(request):
        if request.user.is_verified():
            messages.info(request, _("Bevestig eerst met een code dat jij het bent."))
            return redirect("accounts:replace_authenticator")
        return redirect("accounts:verify")
    if _needs_email_first(request):
        return render(request, "accounts/enrol_needs_email.html", {"email": request.user.email})
    device = services.totp_enrolment_start(user=request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        replacing = services.user_has_second_factor(request.user)
        with refusals_on_form(form, "code"):
            codes = services.totp_enrolment_confirm(request=request, user=request.user,
                                                    token=form.cleaned_data["code"])
        if not form.errors:
            request.session.pop(REPLACE_OK_KEY, None)
            # Rendered straight from the POST, never stored in clear: shown once.
            response = render(
                request,
                "accounts/backup_codes.html",
                {**_codes_context(codes), "next": _next_url(request), "after_enrolment": True,
                 "replaced": replacing},
            )
            return _with_device_cookie(request, response)
    secret = b32encode(device.bin_key).decode().rstrip("=")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#111", light="#fff", border=2)
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "otpauth_url": device.config_url,
            "secret": secret,
            "secret_grouped": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": request.GET.get("next", ""),
            "replacing": services.user_has_second_factor(request.user),
        },
    )


@require_POST
def enrol_email_view(request):
    """From the page that asks for the mailbox first: mail the user a reset link."""
    if not _needs_email_first(request):
        return redirect("accounts:enrol")
    form = PasswordResetRequestForm({"email": request.user.email})
    if form.is_valid():
        recovery.password_reset_request(request=request, form=form)
    return redirect("accounts:password_reset_done")


def _codes_context(codes: list[str]) -> dict:
    """The backup codes for the page, and as text for its copy button and download link (a data:
    URL: the codes are shown once and stored nowhere in clear)."""
    text = render_to_string("accounts/backup_codes.txt", {"codes": codes, "site_name": settings.SITE_NAME,
                                                           "date": timezone.localdate()})
    return {"codes": codes, "codes_text": text, "codes_file": "data:text/plain;charset=utf-8," + quote(text)}


def security_view(request):
    backup = BackupCodeDevice.objects.filter(user=request.user).first()
    totp = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    devices, loose = account_sessions(user=request.user, current_key=request.session.session_key)
    return render(
        request,
        "accounts/security.html",
        {"backup_left": backup.remaining() if backup else 0, "totp": totp, "devices": devices,
         # sessions on no trusted device: past both factors (made before devices were kept), or
         # stopped after the password in a browser never trusted
         "other_sessions": [s for s in loose if s.verified],
         "half_sessions": [s for s in loose if not s.verified]},
    )


@require_POST
def sign_out_view(request):
    """Sign out one of the user's own devices (`device`) or sessions (`session`), from the account page."""
    try:
        if request.POST.get("device"):
            device = device_sign_out(request=request, user=request.user, device_id=request.POST["device"])
            messages.success(request, _("%(device)s is uitgelogd. Daar moet je voortaan opnieuw inloggen "
                                        "met wachtwoord en code.") % {"device": device.display_label})
        else:
            session_sign_out(request=request, user=request.user, ref=request.POST.get("session", ""))
            messages.success(request, _("Die sessie is afgesloten."))
    except NotFound as exc:
        messages.info(request, exc.detail)
    except Invalid as exc:
        messages.error(request, exc.detail)
    return redirect(f"{reverse('accounts:security')}#sessions")


def backup_codes_view(request):
    form = PasswordConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        codes = services.backup_codes_regenerate(request=request, user=request.user)
        return render(request, "accounts/backup_codes.html",
                      {**_codes_context(codes), "next": reverse("accounts:security")})
    return render(request, "accounts/backup_codes_regenerate.html", {"form": form})


def replace_authenticator_view(request):
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form, "code"):
            services.second_factor_verify(request=request, user=request.user, token=form.cleaned_data["code"])
        if not form.errors:
            request.session[REPLACE_OK_KEY] = time.time()
            return redirect("accounts:enrol")
    return render(request, "accounts/replace_authenticator.html", {"form": form})


def password_change_view(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(request=request, form=form)
        messages.success(request, _("Je wachtwoord is gewijzigd. Op je andere apparaten ben je uitgelogd."))
        return redirect("accounts:security")
    return render(request, "accounts/password_change.html", {"form": form})


@require_POST
def logout_view(request):
    if request.user.is_authenticated and not request.user.is_verified():
        # "Stoppen" before the second factor: this half-logged-in session only.
        services.login_abandon(request=request)
        messages.info(request, _("Je bent gestopt met inloggen. Op je andere apparaten verandert er niets."))
        return redirect("accounts:login")
    services.logout_this_device(request=request)
    messages.info(request, _("Je bent uitgelogd op dit apparaat. Op je andere apparaten verandert er niets."))
    return redirect("accounts:login")


@require_POST
def sign_out_everywhere_view(request):
    """"Overal uitloggen" on the account page: every other session ends; this one stays."""
    ended = services.sign_out_everywhere(request=request, user=request.user)
    messages.success(request, ngettext(
        "Je bent overal anders uitgelogd (%(n)d sessie). Hier blijf je ingelogd.",
        "Je bent overal anders uitgelogd (%(n)d sessies). Hier blijf je ingelogd.", ended) % {"n": ended})
    return redirect(f"{reverse('accounts:security')}#sessions")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view; the mail goes through accounts.recovery (limits, the user's language)."""

    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        recovery.password_reset_request(request=self.request, form=form)
        return redirect(self.success_url)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        policy = throttle.policy("mail:acct")
        return {**super().get_context_data(**kwargs), "mails_per_hour": policy.free,
                "hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view and link check; a new password ends every session and socket, and the second
    factor is still asked (accounts.recovery.password_reset_complete)."""

    form_class = ResetSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    token_generator = recovery.reset_tokens

    def form_valid(self, form):
        recovery.password_reset_complete(request=self.request, form=form)
        messages.success(self.request, _("Je nieuwe wachtwoord is opgeslagen. Op al je andere apparaten "
                                         "ben je uitgelogd. Log nu in met de tweede stap."))
        return _after_password(self.request)


@require_POST
def language_view(request):
    """Switch the language. A verified user's choice is stored on them (every page, every device,
    their e-mails); one made before the second factor waits in the session until they are
    verified (accounts.middleware.UserLanguageMiddleware), so it is kept as chosen at login."""
    from django.conf import settings
    from django.utils.translation import check_for_language

    from accounts.middleware import LANGUAGE_CHOSEN_KEY, language_cookie_set

    language = request.POST.get("language", "")
    response = redirect(_next_url(request, default="accounts:login"))
    if not check_for_language(language) or language not in dict(settings.LANGUAGES):
        messages.error(request, _("Deze taal is er niet."))
        return response
    if request.user.is_authenticated and request.user.is_verified():
        services.language_set(request=request, user=request.user, language=language)
        request.session.pop(LANGUAGE_CHOSEN_KEY, None)
    else:
        request.session[LANGUAGE_CHOSEN_KEY] = language
    language_cookie_set(response, language)
    return response
