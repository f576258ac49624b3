from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.rituals"
    label = "rituals"
