from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import time

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin


class UserManager(BaseUserManager):
    use_in_migrations = True

    def normalize_email(self, email):
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email__iexact=(username or "").strip())

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("an e-mail address is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class Language(models.TextChoices):
        DUTCH = "nl", "Nederlands"
        ENGLISH = "en", "English"

    email = models.EmailField(_("e-mailadres"), unique=True)
    display_name = models.CharField(_("naam"), max_length=80)
    language = models.CharField(_("taal"), max_length=5, choices=Language.choices, default=Language.DUTCH)
    quiet_hours_start = models.TimeField(_("rustige uren vanaf"), default=time(22, 0))
    quiet_hours_end = models.TimeField(_("rustige uren tot"), default=time(7, 0))
    # E-mail when a new message waits (messaging.notices); quiet hours apply on top of it.
    notify_messages = models.BooleanField(_("e-mail bij nieuwe berichten"), default=True)
    # A professional reads along in the parents' thread; a notice about each of those messages is
    # their own choice (off unless chosen). Threads addressed to them (a parent's private thread)
    # are told under notify_messages, and moderation mails them about what needs them.
    notify_read_along = models.BooleanField(_("e-mail bij berichten tussen de ouders"), default=False)
    # A new e-mail address waits here until a link sent to it is opened (accounts.account_settings).
    pending_email = models.EmailField(_("nieuw e-mailadres (nog niet bevestigd)"), blank=True, default="")
    pending_email_requested_at = models.DateTimeField(null=True, blank=True)
    # Whether this person may open a family case of their own (and so become its coordinator).
    # Not the same as a practitioner role in a family (Membership.is_practitioner): the rule that
    # links them lives in families.services (joining a family as a professional grants this flag).
    may_open_cases = models.BooleanField(
        _("mag gezinnen openen"),
        default=False,
        help_text=_(
            "Deze persoon mag zelf een gezin openen en wordt daarvan de coördinerend begeleider. "
            "Wie als begeleider bij een gezin komt, krijgt dit vanzelf. "
            "Alleen een beheerder kan het weer uitzetten."
        ),
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Raised to end every session at once (logout, password or authenticator change): it is part
    # of the session auth hash, so Django and the socket stack reject older sessions by themselves.
    session_epoch = models.PositiveIntegerField(default=0)
    # Set when a coordinator or an administrator reset the second factor (a lost phone): a new
    # authenticator may then only be linked in a session that came in through a password-reset
    # link, so that someone who only knows the password cannot link theirs (accounts.recovery).
    enrolment_needs_email = models.BooleanField(default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    def get_short_name(self):
        """How a greeting addresses someone: the first name ("Hallo Anouk", not "Hallo Anouk Bakker")."""
        return (self.display_name or "").split(maxsplit=1)[0] if (self.display_name or "").strip() else ""

    def get_full_name(self):
        return self.display_name

    def get_session_auth_hash(self):
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield salted_hmac(
                "accounts.User.get_session_auth_hash",
                f"{self.password}:{self.session_epoch}",
                secret=fallback_secret,
                algorithm="sha256",
            ).hexdigest()


# Backup codes: 10 characters from an alphabet without look-alikes (about 50 bits each).
BACKUP_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BACKUP_CODE_LENGTH = 10
_BACKUP_CODE_ITERATIONS = 60_000


def normalize_backup_code(token: str) -> str:
    return "".join(ch for ch in (token or "").lower() if ch.isalnum())


def format_backup_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


class BackupCodeDevice(ThrottlingMixin, Device):
    """Single-use backup codes, stored hashed (django-otp's static tokens are stored in clear).

    One PBKDF2 derivation per attempt (with the device's salt), compared against every unused
    code in constant time: a guess costs the same whether or not it is close.
    """

    salt = models.CharField(max_length=32, default="")

    class Meta:
        verbose_name = _("back-upcodes")

    def get_throttle_factor(self):
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def _digest(self, code: str) -> str:
        return hashlib.pbkdf2_hmac(
            "sha256", code.encode(), bytes.fromhex(self.salt), _BACKUP_CODE_ITERATIONS
        ).hex()

    def generate_codes(self, count: int) -> list[str]:
        """Replace all codes with `count` fresh ones and return them in clear, once."""
        self.salt = secrets.token_hex(16)
        self.save(update_fields=["salt"])
        self.codes.all().delete()
        plain = ["".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))
                 for _ in range(count)]
        BackupCode.objects.bulk_create(BackupCode(device=self, digest=self._digest(code)) for code in plain)
        return [format_backup_code(code) for code in plain]

    def verify_token(self, token):
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        code = normalize_backup_code(token)
        match = None
        if len(code) == BACKUP_CODE_LENGTH and self.salt:
            digest = self._digest(code)
            for candidate in self.codes.filter(used_at__isnull=True):
                if hmac.compare_digest(candidate.digest, digest):
                    match = candidate
        if match is None:
            self.throttle_increment()
            return False
        match.used_at = timezone.now()
        match.save(update_fields=["used_at"])
        self.throttle_reset()
        return True

    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"backup code {self.pk} of device {self.device_id}{' (used)' if self.used_at else ''}"


class TrustedDevice(models.Model):
    """A browser in which the user once completed a full two-factor login: it carries a cookie with
    a random token (stored here only as a SHA-256 digest). A trusted device is never locked out by
    wrong passwords or codes typed elsewhere; it has its own counter (accounts.throttle). It does
    NOT skip any factor. Revoked (never deleted) when the user signs it out on the account page or
    when the second factor is reset; a revoked or expired cookie makes the browser unknown again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="trusted_devices")
    token_digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_login_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("vertrouwd apparaat")
        verbose_name_plural = _("vertrouwde apparaten")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"{self.label or 'device'} of user {self.user_id}"

    @property
    def display_label(self) -> str:
        """"Chrome op Android", from the label accounts.devices.device_label stored."""
        browser, _sep, system = self.label.partition("|")
        if browser and system:
            return _("%(browser)s op %(system)s") % {"browser": browser, "system": system}
        return browser or system or str(_("Onbekende browser"))


class LoginThrottle(models.Model):
    """Wrong passwords, wrong codes and reset mails counted per key (accounts.throttle): one row per
    key, the key itself stored only as an HMAC digest (it may hold an e-mail address a stranger
    typed, or a client address)."""

    digest = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=20)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inlogremming")
        verbose_name_plural = _("inlogremmingen")
        indexes = [models.Index(fields=["last_failure_at"])]

    def __str__(self):
        return f"{self.kind}: {self.failures}"


class UserSession(AbstractBaseSession):
    """Django's database session with the user and the trusted device it belongs to, so the account
    page can list a user's sessions and a device's sessions can be ended together
    (accounts.session_store fills these from the session's data on every save)."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # No constraint: devices are revoked, not deleted, and a session is saved without a lock.
    device = models.ForeignKey(TrustedDevice, null=True, blank=True, on_delete=models.DO_NOTHING,
                               db_constraint=False, related_name="sessions")

    class Meta:
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")

    @classmethod
    def get_session_store_class(cls):
        from accounts.session_store import SessionStore

        return SessionStore
