from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.work"
    label = "work"
