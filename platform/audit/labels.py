"""Readable names for audit actions, for the people whose data it is (the access log page)."""

from django.utils.translation import gettext_lazy as _

from audit import actions as a

LABELS = {
    a.LOGIN_PASSWORD: _("logde in (wachtwoord)"),
    a.LOGIN_PASSWORD_FAILED: _("verkeerd wachtwoord"),
    a.LOGIN_VERIFIED: _("logde in (tweede stap)"),
    a.SECOND_FACTOR_FAILED: _("verkeerde code"),
    a.LOCKOUT_PASSWORD: _("tijdelijk geblokkeerd (wachtwoord)"),
    a.LOCKOUT_SECOND_FACTOR: _("tijdelijk geblokkeerd (codes)"),
    a.LOGOUT: _("logde uit"),
    a.SESSION_EXPIRED: _("sessie verlopen"),
    a.PASSWORD_CHANGED: _("wijzigde het wachtwoord"),
    a.TOTP_ENROLLED: _("stelde de tweede stap in"),
    a.TOTP_REPLACED: _("koppelde een andere telefoon"),
    a.SECOND_FACTOR_RESET: _("liet de tweede stap opnieuw instellen"),
    a.BACKUP_CODES_GENERATED: _("maakte nieuwe back-upcodes"),
    a.BACKUP_CODE_USED: _("gebruikte een back-upcode"),
    a.LANGUAGE_CHANGED: _("wijzigde de taal"),
    a.OPEN_CASES_GRANTED: _("mag voortaan zelf een gezin openen"),
    a.FAMILY_CREATED: _("maakte het gezin aan"),
    a.INVITATION_SENT: _("stuurde een uitnodiging"),
    a.INVITATION_ACCEPTED: _("nam een uitnodiging aan"),
    a.MEMBERSHIP_ADDED: _("werd lid van het gezin"),
    a.MEMBERSHIP_ROLE_CHANGED: _("wijzigde een rol"),
    a.MEMBERSHIP_ENDED: _("haalde iemand uit het gezin"),
    a.CHILD_ADDED: _("voegde een kind toe"),
    a.CONTACT_MODE_CHANGED: _("veranderde de manier van contact"),
    a.REVIEW_QUEUE_VIEWED: _("bekeek de berichten die wachten op beoordeling"),
    a.REVIEW_DECIDED: _("beoordeelde een bericht"),
    a.REPHRASE_ANSWERED: _("antwoordde op een voorstel voor een bericht"),
    a.MESSAGE_RELAYED: _("gaf een bericht door"),
    a.ACCESS_DENIED: _("kreeg geen toegang"),
    a.FAMILY_VIEWED: _("bekeek de gezinsgegevens"),
    a.ACCESS_LOG_VIEWED: _("bekeek het logboek"),
    a.RECORDS_EXPORTED: _("downloadde een gespreksverslag"),
    a.THREAD_VIEWED: _("las een gesprek"),
    a.THREAD_PARTICIPANT_SET: _("liet een familielid meedoen in een gesprek"),
    a.THREAD_PARTICIPANT_REMOVED: _("haalde een familielid uit een gesprek"),
    a.PLAN_APPROVED: _("keurde het ouderschapsplan goed"),
    a.PLAN_FROZEN: _("ouderschapsplan vastgelegd"),
    a.PLAN_SECTIONS_CHANGED: _("wijzigde onderdelen van het plan"),
    a.CHILD_VOICE_RECORDED: _("legde de stem van een kind vast"),
}


def label_for(action: str) -> str:
    return str(LABELS.get(action, action))
