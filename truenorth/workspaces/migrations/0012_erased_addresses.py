"""Erased people and logins named by an id no more: "erased-18@erased.invalid" tied an erased
person to id 18 of every people list made before (workspaces.people.erased_address)."""

import secrets

from django.db import migrations


def readdress(apps, schema_editor):
    Person = apps.get_model("workspaces", "Person")
    for person in Person.objects.filter(erased=True, email__endswith="@erased.invalid"):
        person.email = f"erased-{secrets.token_hex(8)}@erased.invalid"
        person.save(update_fields=["email"])
    User = apps.get_model("auth", "User")
    for user in User.objects.filter(username__regex=r"^erased-[0-9]+$", is_active=False):
        user.username = f"erased-{secrets.token_hex(8)}"
        user.save(update_fields=["username"])


class Migration(migrations.Migration):
    dependencies = [("workspaces", "0011_sealed_slack_webhook")]

    operations = [migrations.RunPython(readdress, migrations.RunPython.noop)]
