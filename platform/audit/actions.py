"""Audit action names: stable `source:subject:action` strings. Add; never rename or reuse."""

LOGIN_PASSWORD = "accounts:login:password"
LOGIN_PASSWORD_FAILED = "accounts:login:password_failed"
LOGIN_VERIFIED = "accounts:login:verified"
SECOND_FACTOR_FAILED = "accounts:otp:failed"
LOCKOUT_PASSWORD = "accounts:lockout:password"
LOCKOUT_SECOND_FACTOR = "accounts:lockout:otp"
LOGOUT = "accounts:session:logout"
SESSION_EXPIRED = "accounts:session:expired"
PASSWORD_CHANGED = "accounts:password:changed"
TOTP_ENROLLED = "accounts:otp:enrolled"
TOTP_REPLACED = "accounts:otp:replaced"
SECOND_FACTOR_RESET = "accounts:otp:reset"
BACKUP_CODES_GENERATED = "accounts:backup_codes:generated"
BACKUP_CODE_USED = "accounts:backup_codes:used"
LANGUAGE_CHANGED = "accounts:language:changed"
OPEN_CASES_GRANTED = "accounts:may_open_cases:granted"

FAMILY_CREATED = "families:family:created"
INVITATION_SENT = "families:invitation:sent"
INVITATION_ACCEPTED = "families:invitation:accepted"
MEMBERSHIP_ADDED = "families:membership:added"
MEMBERSHIP_ROLE_CHANGED = "families:membership:role_changed"
MEMBERSHIP_ENDED = "families:membership:ended"
CHILD_ADDED = "families:child:added"
ACCESS_DENIED = "families:access:denied"
FAMILY_VIEWED = "families:family:viewed"
ACCESS_LOG_VIEWED = "audit:access_log:viewed"

RECORDS_EXPORTED = "messaging:records:exported"
PLAN_APPROVED = "parentingplan:plan:approved"
PLAN_FROZEN = "parentingplan:plan:frozen"
PLAN_SECTIONS_CHANGED = "parentingplan:sections:changed"
CHILD_VOICE_RECORDED = "parentingplan:child_voice:recorded"
THREAD_VIEWED = "messaging:thread:viewed"
THREAD_PARTICIPANT_SET = "messaging:participant:set"
THREAD_PARTICIPANT_REMOVED = "messaging:participant:removed"

CONTACT_MODE_CHANGED = "moderation:contact_mode:changed"
REVIEW_QUEUE_VIEWED = "moderation:review_queue:viewed"
REVIEW_DECIDED = "moderation:review:decided"
REPHRASE_ANSWERED = "moderation:rephrase:answered"
MESSAGE_RELAYED = "moderation:relay:sent"

# Entries about one member's own held messages: that a message was returned or rephrased says
# something about words the other parent never received. The family's access log shows them only
# to that member (the entry's subject_user) and to the practitioners.
SUBJECT_ONLY = frozenset({REVIEW_DECIDED, REPHRASE_ANSWERED})
