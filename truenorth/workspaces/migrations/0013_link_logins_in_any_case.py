"""Logins linked to nobody, linked to the person whose address is their email or name in other
capitals: "IT@northwind-labs.test" is it@northwind-labs.test (workspaces.people.link_logins)."""

from django.db import migrations


def link(apps, schema_editor):
    Person = apps.get_model("workspaces", "Person")
    Membership = apps.get_model("workspaces", "Membership")
    unlinked = Membership.objects.filter(person__isnull=True).select_related("user")
    for membership in unlinked:
        people = Person.objects.filter(workspace_id=membership.workspace_id, erased=False)
        user = membership.user
        found = user.email and people.filter(email__iexact=user.email).first()
        found = found or people.filter(email__iexact=user.username).first()
        if found:
            membership.person = found
            membership.save(update_fields=["person"])


class Migration(migrations.Migration):
    dependencies = [("workspaces", "0012_erased_addresses")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
