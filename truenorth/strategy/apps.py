from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.strategy"
    label = "strategy"
