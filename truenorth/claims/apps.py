from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.claims"
    label = "claims"

    def ready(self) -> None:
        from truenorth.claims.tasks import follow_import, follow_roadmap
        from truenorth.roadmap.actions import judged_changed, roadmap_imported

        # The roadmap knows nothing of claims; claims follow its changes.
        judged_changed.connect(follow_roadmap, dispatch_uid="claims.follow_roadmap")
        roadmap_imported.connect(follow_import, dispatch_uid="claims.follow_import")
