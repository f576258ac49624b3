from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.embeddings"
    label = "embeddings"
