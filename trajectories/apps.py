from django.apps import AppConfig


class TrajectoriesConfig(AppConfig):
    name = "trajectories"
    verbose_name = "Trajectories"

    def ready(self):
        from accounts.personal_data import register_section
        from audit import appendonly
        from families import features
        from trajectories import consent, personal_data, receivers, services

        # The trajectory's records (issue 12): consents are append-only in the database; the
        # dossier too (a later note corrects an earlier one; only its ciphertext is re-encrypted).
        appendonly.protect("trajectories_consent")
        appendonly.protect("trajectories_dossiernote", mutable=("body",))
        # Goals, their progress, the agreement and the code of conduct (issue 12, item 1).
        for table in ("goal", "goalupdate", "agreementconfirmation", "codeofconduct", "codeofconductreceipt"):
            appendonly.protect(f"trajectories_{table}")
        # Evaluations (issue 12, item 3): a parent's input and the outcomes; only their ciphertext
        # may be re-encrypted.
        appendonly.protect("trajectories_evaluationinput", mutable=("body",))
        appendonly.protect("trajectories_evaluationoutcome", mutable=("text",))
        # Reports (issue 12, item 5): a shared report and the responses to it.
        appendonly.protect("trajectories_reportshare", mutable=("content",))
        appendonly.protect("trajectories_reportresponse", mutable=("body",))
        appendonly.protect("trajectories_reportread")
        appendonly.protect("trajectories_reportwaiver", mutable=("reason",))
        services.register_hold_check(consent.hold_check)
        services.register_plan_check(consent.plan_check)

        features.register_card(
            name="trajectories.trajectory",
            template_name="trajectories/_family_card.html",
            context=receivers.trajectory_card,
            order=3,
        )
        features.register_home_panel(
            name="trajectories.today",
            template_name="trajectories/_home_panel.html",
            context=receivers.home_panel,
            order=10,
        )
        register_section(name="talks", collect=personal_data.collect, order=45)
        register_section(name="consents", collect=personal_data.collect_consents, order=46)
        register_section(name="agreements", collect=personal_data.collect_agreements, order=47)
        register_section(name="reports", collect=personal_data.collect_reports, order=49)
        # The practitioner's home (issue 12, item 6): a withdrawn consent first, as an alert; after
        # "today" what is late (evaluations), then what waits on others (consents), then reports.
        features.register_home_panel(
            name="trajectories.consent_withdrawn",
            template_name="trajectories/_withdrawn_home_panel.html",
            context=receivers.withdrawn_home_panel,
            order=5,
        )
        features.register_home_panel(
            name="trajectories.evaluations",
            template_name="trajectories/_evaluations_home_panel.html",
            context=receivers.evaluations_home_panel,
            order=11,
        )
        features.register_home_panel(
            name="trajectories.records",
            template_name="trajectories/_records_home_panel.html",
            context=receivers.records_home_panel,
            order=12,
        )
        register_section(name="evaluation_input", collect=personal_data.collect_evaluation_input, order=48)
        features.register_home_panel(
            name="trajectories.reports",
            template_name="trajectories/_reports_home_panel.html",
            context=receivers.reports_home_panel,
            order=13,
        )
