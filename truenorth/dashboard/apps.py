from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.dashboard"
    label = "dashboard"
