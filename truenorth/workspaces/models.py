import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router, transaction
from django.utils import timezone

from truenorth import sealing

# The purpose the workspace's Slack webhook URL is sealed for (truenorth.sealing).
SLACK_WEBHOOK_PURPOSE = "truenorth workspace slack webhook"

MIN_ANONYMITY_THRESHOLD = 3
# Above this almost every team and function would be hidden; a typo, not a policy.
MAX_ANONYMITY_THRESHOLD = 50


def server_time_zone() -> str:
    return settings.TIME_ZONE


# In tzdata but not places: the server's own /etc/localtime, and the zone of unset machines.
NOT_PLACES = frozenset({"localtime", "Factory"})
# The regions of the IANA names people pick from ("Europe/Berlin"); the other names are aliases
# ("US/Eastern", "Etc/GMT+5"), still accepted where typed, not offered in a list.
REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
           "Indian", "Pacific")  # fmt: skip


def valid_time_zone(name: str) -> None:
    if name not in zoneinfo.available_timezones() or name in NOT_PLACES:
        raise ValidationError(f"{name!r} is not a time zone; use a name such as Europe/Berlin.")


def offered_time_zones() -> list[str]:
    """The zones a list offers: UTC, then every region/city name in alphabetical order."""
    places = (n for n in zoneinfo.available_timezones() if n.partition("/")[0] in REGIONS)
    return ["UTC", *sorted(n for n in places if "/" in n)]


class Function(models.TextChoices):
    ENGINEERING = "engineering"
    DESIGN = "design"
    PRODUCT = "product"
    SALES = "sales"
    MARKETING = "marketing"
    CUSTOMER_SUCCESS = "customer_success", "Customer success"
    SUPPORT = "support"
    LEADERSHIP = "leadership"
    OPERATIONS = "operations"
    FINANCE = "finance"
    PARTNER = "partner"


class Role(models.TextChoices):
    OWNER = "owner"
    EDITOR = "editor"
    MEMBER = "member"
    VIEWER = "viewer"
    PARTNER = "partner"


class BehindFigures(models.Model):
    """A row behind a workspace's cached figures (workspaces.figures.WATCHED). Its post_save
    signal replaces the figures' data version; saving in a transaction makes the row and the
    new version one write, so a crash between them cannot leave the new row read through
    figures kept for the old data. Deleting is one transaction already (Django's Collector)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # No savepoint, as Django's own save of an inherited model: inside a transaction an
        # error marks that transaction for rollback, as a plain save's does.
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)


class Workspace(BehindFigures):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    anonymity_threshold = models.PositiveSmallIntegerField(
        default=5,
        validators=[
            MinValueValidator(MIN_ANONYMITY_THRESHOLD),
            MaxValueValidator(MAX_ANONYMITY_THRESHOLD),
        ],
        help_text="No group smaller than this is ever reported.",
    )
    time_zone = models.CharField(
        max_length=60,
        default=server_time_zone,
        validators=[valid_time_zone],
        help_text="Dates and times on its pages, e.g. Europe/Berlin.",
    )
    sender_address = models.EmailField(
        blank=True, help_text="The From: of its emails; blank for the server's address."
    )
    # A Slack-compatible incoming webhook that published updates are posted to. Whoever has its
    # URL can post into the channel, so it is kept sealed (slack_webhook_url reads it).
    slack_webhook_sealed = models.TextField(blank=True, editable=False)
    support_notice_days = models.PositiveSmallIntegerField(
        "customer success notice (days)",
        default=14,
        validators=[MaxValueValidator(90)],
        help_text="Customer success hears first: how many days before a customer-facing change "
        "ships an update must have told them.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def slack_webhook_url(self) -> str | None:
        """The Slack webhook's URL, "" when none is set, None when this server's secret key
        cannot read it (a restore under another key: it must be entered again)."""
        return sealing.unsealed(self.slack_webhook_sealed, SLACK_WEBHOOK_PURPOSE)

    @slack_webhook_url.setter
    def slack_webhook_url(self, url: str) -> None:
        self.slack_webhook_sealed = sealing.seal(url, SLACK_WEBHOOK_PURPOSE)

    @property
    def from_email(self) -> str | None:
        """Whom its emails come from (None: the server's DEFAULT_FROM_EMAIL)."""
        return f"{self.name} <{self.sender_address}>" if self.sender_address else None


class Team(BehindFigures):
    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="children"
    )
    # An archived team is offered for no new assignment; its people and history stay.
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint("workspace", "name", name="unique_team_name")]

    def __str__(self) -> str:
        return self.name


class Person(BehindFigures):
    """Someone in the organisation; most people never log in, they answer through links."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="people")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    function = models.CharField(max_length=20, choices=Function.choices)
    team = models.ForeignKey(Team, models.SET_NULL, null=True, blank=True, related_name="people")
    title = models.CharField(max_length=200, blank=True)
    manager = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    # Someone who left: their answers and invitations stay, no new check-in asks them.
    active = models.BooleanField(default=True)
    # The role a login made for them later should get (from an HR import); blank: not said.
    role = models.CharField(max_length=10, choices=Role.choices, blank=True)
    # Forgotten at their request (people.erase): the row stays, nameless, so that the
    # invitations counted in published figures stay counted.
    erased = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [models.UniqueConstraint("workspace", "email", name="unique_person_email")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A login's access to a workspace."""

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    person = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True)
    # When it was linked to its person (people.link_logins); None for a link made before this
    # was kept. What the person did before, such as rating a ritual, is not the login's.
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("workspace", "user", name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"

    @property
    def can_write(self) -> bool:
        return self.role in (Role.OWNER, Role.EDITOR)

    @property
    def can_read_internal(self) -> bool:
        return self.role != Role.PARTNER

    @property
    def can_read_results(self) -> bool:
        """Check-in dashboards: those who steer (owner, editor) and executives (viewer)."""
        return self.role in (Role.OWNER, Role.EDITOR, Role.VIEWER)

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


class WaitingInvitation(models.Model):
    """A login waiting for an owner to invite it (truenorth/workspaces/logins.py).

    A workspace file names the logins it had by email and role; importing never creates or
    matches a login (a username names someone else on another server), so each becomes one of
    these, and an owner sends it, or discards it, from the Logins page.
    """

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="waiting_invitations")
    email = models.EmailField(max_length=150)  # it becomes the login's username
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    person = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint("workspace", "email", name="unique_waiting_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.workspace} ({self.role})"


ERASURE = "erasure"
LOGIN_LINK = "login_link"
ADDRESS = "address"
LOGIN_ROLE = "login_role"


class SettingChange(models.Model):
    """A change of a workspace setting, kept so who loosened or tightened privacy stays known."""

    class Setting(models.TextChoices):
        NAME = "name"
        ANONYMITY_THRESHOLD = "anonymity_threshold", "Anonymity threshold"
        TIME_ZONE = "time_zone", "Time zone"
        SENDER_ADDRESS = "sender_address", "Sender address"
        # Recorded by its host only: the rest of the URL is a secret (workspaces.actions).
        SLACK_WEBHOOK_URL = "slack_webhook_url", "Slack webhook"
        SUPPORT_NOTICE_DAYS = "support_notice_days", "Customer success notice (days)"

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="setting_changes")
    # Besides the settings, the history records that someone was erased (people.erase), never
    # whom: an ERASURE row; and each login linked to a person or unlinked (people.link_logins),
    # a LOGIN_LINK row: a login linked to someone reads what only that person may; and each
    # person's address changed (people.update_person), an ADDRESS row naming its `person`: a
    # new link of a check-in goes to the new address, so who changed it must stay known; and
    # each login invited, given another role or removed (workspaces.logins), a LOGIN_ROLE row:
    # who gave whom access is as much the workspace's privacy as its threshold.
    setting = models.CharField(
        max_length=40,
        choices=[
            *Setting.choices,
            (ERASURE, "Person erased"),
            (LOGIN_LINK, "Login's person"),
            (ADDRESS, "Person's address"),
            (LOGIN_ROLE, "Login's role"),
        ],
    )
    person = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="address_changes"
    )
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_setting_display()}: {self.old_in_words} → {self.new_in_words}"

    @property
    def old_in_words(self) -> str:
        return self.in_words(self.old_value)

    @property
    def new_in_words(self) -> str:
        return self.in_words(self.new_value)

    def in_words(self, value: str) -> str:
        """A value as the banner, the history and the command line say it: an empty one reads
        as what it means, "the server's default (truenorth@localhost)" for a sender address."""
        if value:
            return value
        if self.setting == self.Setting.SENDER_ADDRESS:
            # Late: mailserver reads MailServer from this module. Its sender is the one the
            # emails really come from: the Mail server page's, else TRUENORTH_EMAIL_FROM.
            from truenorth.workspaces import mailserver

            return f"the server's default ({mailserver.in_use().sender})"
        if self.setting == self.Setting.SLACK_WEBHOOK_URL:
            return "none"
        return value


class DataVersion(models.Model):
    """A token replaced whenever data behind the workspace's figures changes: the figures are
    cached under it (truenorth/workspaces/figures.py). Its own table, so that saving a
    Workspace loaded earlier can never write an older token back."""

    workspace = models.OneToOneField(
        Workspace, models.CASCADE, primary_key=True, related_name="data_version"
    )
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.workspace_id}: {self.token}"


class MailServer(models.Model):
    """The server's SMTP server as an administrator set it on the Mail server page: one row,
    for every workspace. The environment's TRUENORTH_EMAIL_* settings win when they name a
    host (workspaces.mailserver)."""

    class Security(models.TextChoices):
        STARTTLS = "starttls", "STARTTLS (usually port 587)"
        SSL = "ssl", "TLS from the start (port 465)"
        NONE = "none", "None (a local relay, port 25)"

    host = models.CharField(max_length=253)
    port = models.PositiveIntegerField(
        default=587, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    security = models.CharField(max_length=10, choices=Security.choices, default=Security.STARTTLS)
    username = models.CharField(max_length=254, blank=True)
    # What emails with no workspace's own sender come from (password links): many servers take
    # only an address they know.
    sender = models.EmailField(blank=True)
    # The password encrypted under a key made from the server's secret key (mailserver.seal):
    # a backup or a database dump does not give it away.
    password_sealed = models.TextField(blank=True)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


class KeyFingerprint(models.Model):
    """The fingerprint of the secret key the data was last served with, or that a restored
    backup was made with (startup.key_fingerprint): one row, never the key. `truenorth serve`
    says so at start when its key differs, since the links already emailed and the sealed
    secrets were made with the other one."""

    fingerprint = models.CharField(max_length=16)
    noted_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.fingerprint


class WorkerBeat(models.Model):
    """A `truenorth worker` process saying it is alive (workspaces.workers): one row a process,
    its last_seen written every few seconds. A row not written for a minute is a worker gone,
    and pages that report work as queued then say that nothing will start it."""

    name = models.CharField(max_length=150, unique=True)  # host:process id
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.name}, last seen {self.last_seen:%Y-%m-%d %H:%M:%S}"
