from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.workspaces"
    label = "workspaces"

    def ready(self) -> None:
        from truenorth.workspaces.figures import watch_writes

        watch_writes()
        import truenorth.startup  # noqa: F401 -- registers the secret key's deploy check
