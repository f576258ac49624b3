from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.checkins"
    label = "checkins"
