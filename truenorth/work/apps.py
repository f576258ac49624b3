from django.apps import AppConfig


class Config(AppConfig):
    name = "truenorth.work"
    label = "work"

    def ready(self):
        from truenorth.strategy.actions import ARCHIVING_LEAVES
        from truenorth.work.traceability import archiving_leaves_orphan_work

        if archiving_leaves_orphan_work not in ARCHIVING_LEAVES:
            ARCHIVING_LEAVES.append(archiving_leaves_orphan_work)
