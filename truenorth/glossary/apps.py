from django.apps import AppConfig
from django.db.models.signals import post_save


class Config(AppConfig):
    name = "truenorth.glossary"
    label = "glossary"

    def ready(self):
        from truenorth.glossary.measure import forget_figures_of_another_threshold
        from truenorth.workspaces.models import Workspace

        post_save.connect(
            forget_figures_of_another_threshold,
            sender=Workspace,
            dispatch_uid="glossary-threshold",
        )
