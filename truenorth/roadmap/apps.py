from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.roadmap"
    label = "roadmap"
