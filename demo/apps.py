from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo family (`manage.py seed_demo`): built through the services, like any family."""

    name = "demo"
    verbose_name = "Demo"
