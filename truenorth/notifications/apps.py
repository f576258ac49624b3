from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.notifications"
    label = "notifications"
