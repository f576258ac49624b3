from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.updates"
    label = "updates"

    def ready(self) -> None:
        from truenorth.updates.actions import forget_speaker
        from truenorth.workspaces.people import person_erased

        # Erasure lives with people, which knows nothing of updates; updates forget on its word.
        person_erased.connect(forget_speaker, dispatch_uid="updates.forget_speaker")
