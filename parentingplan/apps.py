from django.apps import AppConfig


class ParentingPlanConfig(AppConfig):
    name = "parentingplan"
