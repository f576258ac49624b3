"""When each login was linked to its person, "Login's person" in the settings history, and the
logins whose person no longer has their address unlinked (workspaces.people.link_logins now keeps
links following addresses; a link left over from an address given for a moment must not stay)."""

from django.db import migrations, models


def unlink_stale(apps, schema_editor):
    Membership = apps.get_model("workspaces", "Membership")
    SettingChange = apps.get_model("workspaces", "SettingChange")
    linked = Membership.objects.filter(person__isnull=False).select_related("user", "person")
    for membership in linked:
        user, person = membership.user, membership.person
        addresses = {address.lower() for address in (user.username, user.email) if address}
        if person.email.lower() in addresses:
            continue
        membership.person_id = None
        membership.save(update_fields=["person"])
        SettingChange.objects.create(
            workspace_id=membership.workspace_id,
            setting="login_link",
            old_value=f"{user.username}: {person.name}"[:200],
            new_value=f"{user.username}: nobody"[:200],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workspaces", "0013_link_logins_in_any_case"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="linked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="settingchange",
            name="setting",
            field=models.CharField(
                choices=[
                    ("name", "Name"),
                    ("anonymity_threshold", "Anonymity threshold"),
                    ("time_zone", "Time zone"),
                    ("sender_address", "Sender address"),
                    ("slack_webhook_url", "Slack webhook"),
                    ("support_notice_days", "Customer success notice (days)"),
                    ("erasure", "Person erased"),
                    ("login_link", "Login's person"),
                ],
                max_length=40,
            ),
        ),
        migrations.RunPython(unlink_stale, migrations.RunPython.noop),
    ]
