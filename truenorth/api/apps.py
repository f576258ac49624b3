from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.api"
    label = "api"
