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
    a.NAME_CHANGED: _("wijzigde de eigen naam"),
    a.EMAIL_CHANGE_REQUESTED: _("vroeg een nieuw e-mailadres aan"),
    a.EMAIL_CHANGE_CANCELLED: _("trok een nieuw e-mailadres in"),
    a.EMAIL_CHANGED: _("bevestigde een nieuw e-mailadres"),
    a.NOTICE_SETTINGS_CHANGED: _("wijzigde e-mails en rustige uren"),
    a.PERSONAL_DATA_EXPORTED: _("downloadde een kopie van de eigen gegevens"),
    a.FAMILY_CREATED: _("maakte het gezin aan"),
    a.INVITATION_SENT: _("stuurde een uitnodiging"),
    a.INVITATION_ACCEPTED: _("nam een uitnodiging aan"),
    a.MEMBERSHIP_ADDED: _("werd lid van het gezin"),
    a.MEMBERSHIP_ROLE_CHANGED: _("wijzigde een rol"),
    a.MEMBERSHIP_ENDED: _("haalde iemand uit het gezin"),
    a.CHILD_ADDED: _("voegde een kind toe"),
    a.CONTACT_MODE_CHANGED: _("veranderde de manier van contact"),
    a.CHILD_CHANGED: _("wijzigde de gegevens van een kind"),
    a.CHILD_REMOVED: _("haalde een kind uit het dossier"),
    a.INVITATION_REVOKED: _("trok een uitnodiging in"),
    a.INVITATION_RESENT: _("stuurde een uitnodiging opnieuw"),
    a.ACCESS_DENIED: _("kreeg geen toegang"),
    a.FAMILY_VIEWED: _("bekeek de gezinsgegevens"),
    a.ACCESS_LOG_VIEWED: _("bekeek het logboek"),
    a.RECORDS_EXPORTED: _("downloadde een gespreksverslag"),
    a.THREAD_VIEWED: _("las een gesprek"),
    a.THREAD_PARTICIPANT_SET: _("liet een familielid meedoen in een gesprek"),
    a.THREAD_PARTICIPANT_REMOVED: _("haalde een familielid uit een gesprek"),
    a.THREAD_PARTICIPANT_PROPOSED: _("stelde voor een familielid te laten meedoen in een gesprek"),
    a.THREAD_PARTICIPANT_CONSENTED: _("stemde in met een familielid in een gesprek"),
    a.THREAD_PARTICIPANT_DECLINED: _("wees een familielid in een gesprek af"),
    a.THREAD_PARTICIPANT_PROPOSAL_WITHDRAWN: _("trok een voorstel voor een gesprek in"),
    a.THREAD_PARTICIPANT_PROPOSAL_LAPSED: _("voorstel voor een gesprek vervallen"),
    a.PLAN_APPROVED: _("keurde het ouderschapsplan goed"),
    a.PLAN_FROZEN: _("ouderschapsplan vastgelegd"),
    a.PLAN_SECTIONS_CHANGED: _("wijzigde onderdelen van het plan"),
    a.CHILD_VOICE_RECORDED: _("legde de stem van een kind vast"),
}


def label_for(action: str) -> str:
    return str(LABELS.get(action, action))
