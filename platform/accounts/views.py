from __future__ import annotations

import time
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import authenticate
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.forms import EnrolForm, LoginForm, PasswordChangeForm, PasswordConfirmForm, VerifyForm
from accounts.models import BackupCodeDevice
from core.views import refusals_on_form

REPLACE_OK_KEY = "_replace_authenticator_ok"


def _next_url(request, default="families:home"):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def login_view(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=form.cleaned_data["email"],
                            password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return render(request, "accounts/locked_out.html", status=429)
        if user is None:
            form.add_error(None, _("Dit e-mailadres en wachtwoord horen niet bij elkaar. "
                                   "Probeer het nog eens."))
        else:
            services.session_login_password(request=request, user=user)
            target = "accounts:verify" if services.user_has_second_factor(user) else "accounts:enrol"
            return redirect(f"{reverse(target)}?{urlencode({'next': _next_url(request)})}")
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
                    _("Je hebt een back-upcode gebruikt. Je hebt er nog %(n)d over.") % {"n": left},
                )
            return redirect(_next_url(request))
    return render(request, "accounts/verify.html", {"form": form, "next": request.GET.get("next", "")})


def _may_enrol(request) -> bool:
    """A first authenticator after the password; a replacement only right after a valid code."""
    if not services.user_has_second_factor(request.user):
        return True
    ok_at = request.session.get(REPLACE_OK_KEY)
    return bool(request.user.is_verified() and ok_at and time.time() - ok_at < 10 * 60)


def enrol_view(request):
    if not _may_enrol(request):
        if request.user.is_verified():
            messages.info(request, _("Bevestig eerst met een code dat jij het bent."))
            return redirect("accounts:replace_authenticator")
        return redirect("accounts:verify")
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
            return render(
                request,
                "accounts/backup_codes.html",
                {"codes": codes, "next": _next_url(request), "after_enrolment": True, "replaced": replacing},
            )
    secret = b32encode(device.bin_key).decode().rstrip("=")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#111", light="#fff", border=2)
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": secret,
            "secret_grouped": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": request.GET.get("next", ""),
            "replacing": services.user_has_second_factor(request.user),
        },
    )


def security_view(request):
    backup = BackupCodeDevice.objects.filter(user=request.user).first()
    totp = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    return render(
        request,
        "accounts/security.html",
        {"backup_left": backup.remaining() if backup else 0, "totp": totp},
    )


def backup_codes_view(request):
    form = PasswordConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        codes = services.backup_codes_regenerate(request=request, user=request.user)
        return render(request, "accounts/backup_codes.html",
                      {"codes": codes, "next": reverse("accounts:security")})
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
    services.logout_everywhere(request=request)
    messages.info(request, _("Je bent uitgelogd, op al je apparaten."))
    return redirect("accounts:login")


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
