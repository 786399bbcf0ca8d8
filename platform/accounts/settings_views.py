"""The account settings pages: name, e-mail address, e-mail notices and quiet hours, the AVG
download, and the privacy page (the one page here open to everyone). Each view parses its form and
calls one service (accounts.account_settings, accounts.personal_data); every page is the user's
own, so there is no family to check access in: the user is request.user, verified with both
factors (accounts.middleware)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import account_settings
from accounts.forms import PasswordConfirmForm
from accounts.personal_data import personal_data_export
from accounts.settings_forms import EmailChangeForm, NameForm, NoticeSettingsForm
from core.errors import Invalid
from core.views import refusals_on_form


def name_change_view(request):
    form = NameForm(request.POST or None, initial={"display_name": request.user.display_name})
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form, "display_name"):
            changed = account_settings.name_change(request=request, user=request.user,
                                                   display_name=form.cleaned_data["display_name"])
        if not form.errors:
            if changed:
                messages.success(request, _("Je naam is gewijzigd."))
            return redirect("accounts:security")
    return render(request, "accounts/name_change.html", {"form": form})


def email_change_view(request):
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form, "new_email"):
            account_settings.email_change_request(request=request, user=request.user,
                                                  new_email=form.cleaned_data["new_email"])
        if not form.errors:
            messages.success(request, _(
                "We hebben een link gestuurd naar %(email)s. Open die link om je nieuwe e-mailadres te "
                "bevestigen. Tot dan blijft je oude adres gelden.") % {"email": request.user.pending_email})
            return redirect("accounts:security")
    return render(request, "accounts/email_change.html", {"form": form})


@require_POST
def email_change_cancel_view(request):
    if account_settings.email_change_cancel(request=request, user=request.user):
        messages.success(request, _("Het nieuwe e-mailadres is ingetrokken. De link werkt niet meer."))
    return redirect("accounts:security")


def email_confirm_view(request, token):
    """GET shows what will happen and asks to confirm (a mail scanner that opens links changes
    nothing); POST makes the change."""
    try:
        new_email = account_settings.email_change_lookup(user=request.user, token=token)
        if request.method == "POST":
            account_settings.email_change_confirm(request=request, user=request.user, token=token)
            messages.success(request, _("Je e-mailadres is nu %(email)s. Daarmee log je voortaan in.")
                             % {"email": new_email})
            return redirect("accounts:security")
    except Invalid as exc:
        return render(request, "accounts/email_confirm.html", {"problem": exc.detail}, status=400)
    return render(request, "accounts/email_confirm.html", {"new_email": new_email})


def notices_view(request):
    form = NoticeSettingsForm.for_user(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            changed = account_settings.notice_settings_set(
                request=request, user=request.user, notify_messages=form.cleaned_data["notify_messages"],
                quiet_hours=form.quiet_hours(), notify_read_along=form.cleaned_data.get("notify_read_along"))
        if not form.errors:
            if changed:
                messages.success(request, _("Opgeslagen. Vanaf nu gaan je e-mails zo."))
            return redirect("accounts:security")
    return render(request, "accounts/notices.html", {"form": form, "time_zone": settings.TIME_ZONE})


def personal_data_view(request):
    """The AVG download: asks the password again, then sends the file."""
    form = PasswordConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = personal_data_export(request=request, user=request.user)
        response = HttpResponse(data, content_type="application/json; charset=utf-8")
        name = f"{settings.SITE_NAME.lower()}-mijn-gegevens-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "accounts/personal_data.html", {"form": form})


def privacy_view(request):
    return render(request, "accounts/privacy.html", {
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
        "absolute_hours": settings.SESSION_ABSOLUTE_TIMEOUT // 3600,
        "invitation_days": settings.INVITATION_VALID_DAYS,
        "email_change_hours": settings.EMAIL_CHANGE_VALID_HOURS,
        "contact": settings.PRIVACY_CONTACT,
        "contact_is_email": "@" in (settings.PRIVACY_CONTACT or "") and " " not in settings.PRIVACY_CONTACT,
    })
