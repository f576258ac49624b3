from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.workspaces"
    label = "workspaces"
