"""Logins linked to nobody, linked to the person whose address is their email or name in other
capitals: "IT@northwind-labs.test" is it@northwind-labs.test (workspaces.people.link_logins);
one whose name and email are two people's addresses stays linked to nobody."""

from django.db import migrations


def link(apps, schema_editor):
    Person = apps.get_model("workspaces", "Person")
    Membership = apps.get_model("workspaces", "Membership")
    unlinked = Membership.objects.filter(person__isnull=True).select_related("user")
    for membership in unlinked:
        people = Person.objects.filter(workspace_id=membership.workspace_id, erased=False)
        user = membership.user
        addresses = [address for address in (user.username, user.email) if address]
        named = {
            person.pk
            for address in addresses
            for person in people.filter(email__iexact=address).only("pk")
        }
        # A name that is one person's address and an email another's: neither (people.py).
        if len(named) == 1:
            membership.person_id = named.pop()
            membership.save(update_fields=["person"])


class Migration(migrations.Migration):
    dependencies = [("workspaces", "0012_erased_addresses")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
