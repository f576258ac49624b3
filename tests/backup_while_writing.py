"""Back up an instance while another connection commits to it: run as its own process.

    python tests/backup_while_writing.py FILE

It uses the database of TRUENORTH_DATA_DIR or DATABASE_URL (a file-backed one: the writer
needs a second real connection), makes one workspace, then backs up. Right after the backup has
read the workspaces, a thread with its own connection commits a second workspace with a team
and a person, tables the backup reads later. It prints, as JSON, whether the write committed
while the backup ran and the workspaces the database holds afterwards.
"""

import json
import os
import sys
import threading

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truenorth.settings")


def main(path: str) -> None:
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)

    from truenorth.backup import backup
    from truenorth.workspaces.models import Workspace

    Workspace.objects.create(name="Before", slug="before")
    written = {}

    def write_meanwhile(model: str, rows: int) -> None:
        if model == "workspaces.workspace":
            writer = threading.Thread(target=commit_a_workspace, args=(written,))
            writer.start()
            writer.join(timeout=30)

    with open(path, "wb") as out:
        backup(out, progress=write_meanwhile)
    slugs = sorted(Workspace.objects.values_list("slug", flat=True))
    print(json.dumps({"written": written, "workspaces": slugs}))


def commit_a_workspace(written: dict) -> None:
    from django.db import connection, transaction

    from truenorth.workspaces.models import Function, Person, Team, Workspace

    try:
        with transaction.atomic():
            workspace = Workspace.objects.create(name="During", slug="during")
            team = Team.objects.create(workspace=workspace, name="Platform")
            Person.objects.create(
                workspace=workspace,
                name="Ada",
                email="ada@during.test",
                function=Function.ENGINEERING,
                team=team,
            )
        written["committed"] = True
    except Exception as error:  # reported to the test, which fails with it
        written["error"] = repr(error)
    finally:
        connection.close()


if __name__ == "__main__":
    main(sys.argv[1])
