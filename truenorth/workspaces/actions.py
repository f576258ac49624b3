from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator, validate_email
from django.db import transaction
from django.utils.text import slugify

from truenorth import sending
from truenorth.workspaces.logins import record_role
from truenorth.workspaces.models import Membership, Role, SettingChange, Workspace

SLUG_LENGTH = Workspace._meta.get_field("slug").max_length

# Stricter than Django's slugs (no capitals, no underscores): a slug is typed into URLs.
validate_workspace_slug = RegexValidator(
    r"^[a-z0-9-]+\Z", "Use only lowercase letters, digits and hyphens, such as acme-eu."
)


def validate_new_workspace(
    workspace: Workspace, owner_username: str, owner_email: str, owner_password: str | None = None
) -> None:
    """Raise ValidationError with each field's problems: a slug taken or not a slug, a blank
    or too long name, an owner username or email address Django would refuse, a new owner's
    password the password validators refuse."""
    errors = {}
    try:
        workspace.full_clean(exclude=["anonymity_threshold"], validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    username = get_user_model()._meta.get_field("username")
    checks = {
        "slug": (workspace.slug, [validate_workspace_slug, validate_free_slug]),
        "owner": (owner_username, username.validators),
        "email": (owner_email, [validate_email]),
    }
    for field, (value, validators) in checks.items():
        try:
            if not value.strip():
                raise ValidationError("This field cannot be blank.")
            for validator in validators:
                validator(value)
        except ValidationError as error:
            errors[field] = error.messages  # the clearer message, where the model has one too
    User = get_user_model()
    if owner_password and not User.objects.filter(username=owner_username).exists():
        try:
            validate_password(owner_password, User(username=owner_username, email=owner_email))
        except ValidationError as error:
            errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)


def slug_of(name: str) -> str:
    """The slug a name gives: "Northwind Labs" gets "northwind-labs"."""
    slug = slugify(name).replace("_", "-").strip("-")[:SLUG_LENGTH].strip("-")
    return slug or "workspace"


def free_slug(name: str) -> str:
    """The name's slug, or, where a workspace has it, the first of slug-2, slug-3… none has."""
    base = slug_of(name)
    slug, number = base, 1
    while Workspace.objects.filter(slug=slug).exists():
        number += 1
        suffix = f"-{number}"
        slug = base[: SLUG_LENGTH - len(suffix)].rstrip("-") + suffix
    return slug


def validate_free_slug(slug: str) -> None:
    if Workspace.objects.filter(slug=slug).exists():
        raise ValidationError(f"A workspace with slug {slug!r} exists already; choose another.")


@transaction.atomic
def create_workspace(
    name: str,
    slug: str,
    owner_username: str,
    owner_email: str,
    owner_password: str | None,
    by=None,
) -> Workspace:
    """A new workspace and the login that owns it (an existing login keeps its password), its
    first row of the settings history; `by`, the login that made it (None: the command line).

    Refuses bad input with ValidationError (validate_new_workspace), creating nothing.
    """
    workspace = Workspace(name=name.strip(), slug=slug)
    validate_new_workspace(workspace, owner_username, owner_email, owner_password)
    workspace.save()
    user, created = get_user_model().objects.get_or_create(
        username=owner_username, defaults={"email": owner_email}
    )
    if created:
        if owner_password:
            user.set_password(owner_password)
        else:
            user.set_unusable_password()
        user.save()
    owner = Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
    record_role(owner, "", Role.OWNER, by)
    return workspace


# Settings shown and recorded by their host only: the rest of a webhook URL is its secret.
SECRET_URLS = {SettingChange.Setting.SLACK_WEBHOOK_URL}
# The column a setting read through a property is kept in (sealed: models.Workspace).
STORED_AS = {SettingChange.Setting.SLACK_WEBHOOK_URL: "slack_webhook_sealed"}


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "") if url else ""


def current_settings(workspace: Workspace, shown: bool = False) -> dict:
    """Every setting's value; with shown, as a page or JSON may show it (a webhook's host)."""
    values = {name: getattr(workspace, name) for name in SettingChange.Setting.values}
    if shown:
        values.update({name: host_of(values[name]) for name in SECRET_URLS})
    return values


def recorded(name: str, value) -> str:
    return host_of(value) if name in SECRET_URLS else str(value)


@transaction.atomic
def change_settings(workspace: Workspace, by, **changes) -> list[SettingChange]:
    """Change settings (name, anonymity_threshold) and record each one that actually changed.

    `by` is the login making the change, or None from the command line. A value the model
    refuses (a threshold below 3…) raises ValidationError and changes nothing.
    """
    unknown = set(changes) - set(SettingChange.Setting.values)
    if unknown:
        raise ValueError(f"not a workspace setting: {', '.join(sorted(unknown))}")
    for name in SECRET_URLS & set(changes):
        if changes[name]:  # the model's column holds it sealed, so it cannot check it
            try:
                URLValidator()(changes[name])
                changes[name] = sending.check_webhook_url(changes[name])
            except ValidationError as error:
                raise ValidationError({name: error.messages}) from None
            except ValueError as refused:
                why = str(refused)
                raise ValidationError({name: [f"{why[:1].upper()}{why[1:]}."]}) from None
    old = {name: getattr(workspace, name) for name in changes}
    for name, value in changes.items():
        setattr(workspace, name, value)
    try:
        workspace.clean_fields()  # also turns "7" into 7, so equal values compare equal
    except ValidationError:
        for name, value in old.items():
            setattr(workspace, name, value)
        raise
    changed = [name for name in changes if getattr(workspace, name) != old[name]]
    if not changed:
        return []
    workspace.save(update_fields=[STORED_AS.get(name, name) for name in changed])
    records = SettingChange.objects.bulk_create(
        SettingChange(
            workspace=workspace,
            setting=name,
            old_value=recorded(name, old[name]),
            new_value=recorded(name, getattr(workspace, name)),
            changed_by=by,
        )
        for name in changed
    )
    # Nothing to redo: stored reports are cut to the new threshold whenever they are shown
    # (truenorth.checkins.measure.current_report).
    return records


def lowering_warning(changes: list[SettingChange]) -> str:
    """What a lowered anonymity threshold does not do, or '' when it was not lowered: a
    check-in keeps the threshold its invitations promised (checkins.models.CheckIn.threshold)."""
    for change in changes:
        lowered = change.setting == SettingChange.Setting.ANONYMITY_THRESHOLD and int(
            change.new_value
        ) < int(change.old_value)
        if lowered:
            return (
                f"The lower threshold of {change.new_value} applies only to check-ins whose "
                "invitations go out after this change. Check-ins already sent keep the "
                "threshold their invitations promised, and are published and shown under it."
            )
    return ""
