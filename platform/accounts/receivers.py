"""Open sockets re-verify their session at once when what a session rests on changes, by ANY path
(a service, the admin, the shell, `manage.py changepassword`): the user's password or active flag,
or one of their second-factor devices. The sockets' periodic check (core.consumers) catches the
same changes when this event is lost (Redis away), a few seconds later."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django_otp.models import Device

from core.broadcast import broadcast_on_commit
from core.groups import user_group

_WATCHED = ("password", "is_active")


def _sessions_recheck(user_id) -> None:
    broadcast_on_commit(user_group(user_id), {"type": "session.check"})


def user_before_save(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (update_fields is not None and not set(update_fields) & set(_WATCHED)):
        instance._sessions_before = None
        return
    instance._sessions_before = sender.objects.filter(pk=instance.pk).values_list(*_WATCHED).first()


def user_saved(sender, instance, created, **kwargs):
    before = getattr(instance, "_sessions_before", None)
    if before is not None and before != (instance.password, instance.is_active):
        _sessions_recheck(instance.pk)


def device_deleted(sender, instance, **kwargs):
    if instance.user_id is not None:
        _sessions_recheck(instance.user_id)


def device_saved(sender, instance, **kwargs):
    # A device is saved on every code checked (its counters): only one taken out of use matters.
    if instance.user_id is not None and not instance.confirmed:
        _sessions_recheck(instance.user_id)


def connect() -> None:
    user_model = get_user_model()
    pre_save.connect(user_before_save, sender=user_model, dispatch_uid="accounts.user_before_save")
    post_save.connect(user_saved, sender=user_model, dispatch_uid="accounts.user_saved")
    for model in apps.get_models():
        if issubclass(model, Device):
            uid = f"accounts.device_changed.{model._meta.label}"
            post_delete.connect(device_deleted, sender=model, dispatch_uid=uid + ".delete")
            post_save.connect(device_saved, sender=model, dispatch_uid=uid + ".save")
