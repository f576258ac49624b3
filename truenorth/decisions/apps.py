from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.decisions"
    label = "decisions"
