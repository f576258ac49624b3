from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.updates"
    label = "updates"
