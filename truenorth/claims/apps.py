from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.claims"
    label = "claims"
