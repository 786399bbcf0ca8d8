from django.apps import AppConfig


class TrajectoriesConfig(AppConfig):
    name = "trajectories"
    verbose_name = "Trajectories"

    def ready(self):
        from accounts.personal_data import register_section
        from families import features
        from trajectories import personal_data, receivers

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
