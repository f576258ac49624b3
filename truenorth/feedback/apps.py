from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.feedback"
    label = "feedback"
