"""E-mail notices about the plan: "the other parent approved the plan", never its content.

Sent after the approval commits (plan_approve puts it on the transaction), once per approval; an
approval needs every section agreed by both parents first, so one parent cannot send them in a
row. Not sent during the recipient's quiet hours: the plan page and the family page say it too,
so nothing is lost. A refused mail is logged and does not undo the approval.

The chat's notices (messaging.notices) are per thread, delayed and durable; an approval is a single
event that the pages keep showing, so a plain mail after commit is enough here.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def in_quiet_hours(user, moment: datetime) -> bool:
    local = timezone.localtime(moment).time()
    start, end = user.quiet_hours_start, user.quiet_hours_end
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # the quiet hours run past midnight


def approval_notices_send(*, plan_id: int, version: int, approver_id: int, recipient_ids: list[int],
                          frozen: bool, now: datetime | None = None) -> int:
    """Tell the other parents that `approver_id` approved version `version` (or, `frozen`, that
    the plan is now agreed and fixed). Returns how many mails went out."""
    from parentingplan.models import Plan

    now = now or timezone.now()
    plan = Plan.objects.select_related("family").filter(pk=plan_id).first()
    users = get_user_model().objects
    approver = users.filter(pk=approver_id).first()
    if plan is None or approver is None:
        return 0
    sent = 0
    for user in users.filter(pk__in=recipient_ids, is_active=True):
        if not user.email or in_quiet_hours(user, now):
            continue
        try:
            _mail(user, plan=plan, version=version, approver=approver, frozen=frozen)
        except Exception:  # the approval stands; the pages show it
            logger.warning("plan approval notice to user %s was not sent", user.pk, exc_info=True)
        else:
            sent += 1
    return sent


def _mail(user, *, plan, version: int, approver, frozen: bool) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        link = settings.SITE_URL.rstrip("/") + reverse("parentingplan:plan", args=[plan.family_id])
        first_name = (user.display_name.split() or [""])[0]
        context = {"first_name": first_name, "approver": approver.display_name, "version": version,
                   "link": link, "site_name": settings.SITE_NAME, "frozen": frozen}
        subject = (_("Het ouderschapsplan is vastgelegd") if frozen
                   else _("%(name)s heeft het ouderschapsplan goedgekeurd") % {"name": approver.display_name})
        send_mail(subject=subject, message=render_to_string("parentingplan/email/approved.txt", context),
                  from_email=None, recipient_list=[user.email])
