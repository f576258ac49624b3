from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.glossary"
    label = "glossary"
