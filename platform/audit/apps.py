from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from audit import appendonly, receivers  # noqa: F401  (registers the table and auth signal receivers)

        appendonly.protect("audit_auditentry")
