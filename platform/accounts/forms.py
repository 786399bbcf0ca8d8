from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PASSWORD_HELP = _("Minstens 10 tekens. Een zin van een paar woorden werkt goed.")


class CodeInput(forms.TextInput):
    def __init__(self, numeric=True):
        attrs = {
            "autocomplete": "one-time-code",
            "autocapitalize": "off",
            "spellcheck": "false",
            "class": "code-input",
            "autofocus": True,
        }
        if numeric:
            attrs.update(inputmode="numeric", pattern="[0-9]*", maxlength="6")
        super().__init__(attrs)


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(
            attrs={"autocomplete": "username", "autofocus": True, "autocapitalize": "off"}
        ),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class VerifyForm(forms.Form):
    """A TOTP code, or a backup code (letters): the field accepts both, the keyboard shows digits."""

    code = forms.CharField(
        label=_("Code uit je app"),
        max_length=20,
        help_text=_("Zes cijfers uit je authenticator-app. Telefoon kwijt? Vul een back-upcode in."),
        widget=CodeInput(numeric=False),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(inputmode="numeric")


SIX_DIGITS = _("De code bestaat uit zes cijfers, zonder letters. "
               "Vul de zes cijfers in die je app nu laat zien.")


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code uit je app"),
        max_length=20,
        help_text=_("Vul de zes cijfers in die je app nu laat zien."),
        error_messages={"required": _("Vul de zes cijfers in die je app nu laat zien.")},
        widget=CodeInput(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # static/js/code-input.js shows this while typing; the same check runs here on the server.
        self.fields["code"].widget.attrs.update({"data-digits-message": str(SIX_DIGITS), "maxlength": "7"})

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(SIX_DIGITS, code="six_digits")
        return code


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Je wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Dit wachtwoord klopt niet."))
        return password


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form in the site's own words (informal Dutch, like every other page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Je huidige wachtwoord")
        self.fields["new_password1"].label = _("Nieuw wachtwoord")
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = _("Herhaal het nieuwe wachtwoord")
        self.fields["new_password2"].help_text = ""


class SetPasswordFields(forms.Form):
    """Shared by invitation acceptance: choose a name and a password."""

    display_name = forms.CharField(
        label=_("Je naam"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Kies een wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
    )
    password2 = forms.CharField(
        label=_("Herhaal het wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif p1:
            from accounts.models import User

            try:
                password_validation.validate_password(
                    p1, User(email=self.email, display_name=cleaned.get("display_name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class PasswordResetRequestForm(DjangoPasswordResetForm):
    """Django's form, in the site's words; each mail in the language its receiver chose."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.label = _("Je e-mailadres")
        field.widget.attrs.update(autofocus=True, autocapitalize="off", autocomplete="username")
        field.error_messages = {"required": _("Vul je e-mailadres in."),
                                "invalid": _("Dit is geen e-mailadres. Kijk of er een @ in staat.")}

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        user = context["user"]
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = "".join(render_to_string(subject_template_name, context).splitlines())
            body = render_to_string(email_template_name, context)
        try:
            send_mail(subject=subject, message=body, from_email=from_email, recipient_list=[to_email])
        except Exception:  # the page says the same either way; the failure is in the log
            logger.exception("password reset mail to user %s failed", user.pk)


class ResetSetPasswordForm(DjangoSetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Nieuw wachtwoord")
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password1"].widget.attrs["autofocus"] = True
        self.fields["new_password2"].label = _("Herhaal het nieuwe wachtwoord")
        self.fields["new_password2"].help_text = ""
