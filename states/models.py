"""Actors, groups and memberships; statements and the positions they express."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Length, Lower
from django.db.models.lookups import LessThanOrEqual

from common.db import TimeStampedModel
from provisions.models import Provision, Session
from states import stances


class ActorQuerySet(models.QuerySet):
    def matching(self, name):
        """Actors whose code, name or one of whose aliases is `name` (any case)."""
        name = name.strip()
        return self.filter(
            Q(code__iexact=name) | Q(name__iexact=name) | Q(aliases__alias__iexact=name)
        ).distinct()

    def searching(self, text):
        """Actors whose code begins with `text`, or whose name or an alias contains
        it (for type-ahead: "JP" is Japan's code begun), annotated with `match`:
        0 for the code itself, 1 for a code or name begun so, 2 for a name holding
        it, 3 for an alias only (the best first: order by it, then name)."""
        text = text.strip()
        match = models.Case(
            models.When(code__iexact=text, then=0),
            models.When(Q(code__istartswith=text) | Q(name__istartswith=text), then=1),
            models.When(name__icontains=text, then=2),
            default=3,
            output_field=models.IntegerField(),
        )
        return (
            self.filter(
                Q(code__istartswith=text)
                | Q(name__icontains=text)
                | Q(aliases__alias__icontains=text)
            )
            .annotate(match=match)
            .distinct()
        )


class Actor(TimeStampedModel):
    class Kind(models.TextChoices):
        MEMBER_STATE = "member_state", "UN member state"
        OBSERVER_STATE = "observer_state", "Observer state"
        REGIONAL_ORG = "regional_org", "Regional organization"
        INTERGOVERNMENTAL_ORG = (
            "intergovernmental_org",
            "Intergovernmental organization",
        )
        CIVIL_SOCIETY = "civil_society", "Civil society"
        PRIVATE_SECTOR = "private_sector", "Private sector"
        ACADEMIA = "academia", "Academia"
        UN_ENTITY = "un_entity", "UN entity"

    # The negotiating parties: the matrix's default rows.
    PARTY_KINDS = (Kind.MEMBER_STATE, Kind.OBSERVER_STATE, Kind.REGIONAL_ORG)

    code = models.CharField(
        max_length=12,
        unique=True,
        help_text="ISO 3166-1 alpha-3 for states (CHN); else an upper-case code.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=Kind.choices)

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z][A-Z0-9-]{1,11}$"),
                name="actor_code_upper_case",
            ),
        ]

    def __str__(self):
        return self.name


class ActorAlias(TimeStampedModel):
    """Another name an actor is known by ("Russia", "Turkey", "DPRK"), used to match
    names in search, imports and entry to actors. One actor per alias, in any case."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "actor aliases"
        constraints = [
            models.UniqueConstraint(
                Lower("alias"),
                name="actor_alias_unique_in_any_case",
                violation_error_message="This alias already names an actor.",
            ),
        ]

    def __str__(self):
        return self.alias


class Group(TimeStampedModel):
    class Kind(models.TextChoices):
        UN_REGIONAL_GROUP = "un_regional_group", "UN regional group"
        NEGOTIATING_BLOC = "negotiating_bloc", "Negotiating bloc"
        ORGANIZATION_MEMBERS = "organization_members", "Members of an organization"
        COALITION = "coalition", "Coalition"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    members = models.ManyToManyField(
        Actor, through="Membership", related_name="member_of"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def covering(self, day):
        """Memberships in force on `day` (start ≤ day, and no end or day ≤ end)."""
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class Membership(TimeStampedModel):
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="memberships"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "actor__name", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "group", "start_date"],
                name="membership_unique_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.actor} in {self.group}"


class LengthLimit(models.CheckConstraint):
    """A database check of a text's length: the backstop behind the field's own
    validator (max_length or MaxLengthValidator), which full_clean() runs with a
    message naming the field. Not validated again in Python, which would cost a query
    per limit per save."""

    def validate(self, *args, **kwargs):
        return None


def length_limit(field, limit):
    """The database's own check that `field` holds at most `limit` characters (SQLite
    does not enforce max_length)."""
    return LengthLimit(
        condition=LessThanOrEqual(Length(field), limit),
        name=f"%(class)s_{field}_at_most_{limit}",
        violation_error_message=f"At most {limit} characters ({field}).",
    )


class Verification(models.TextChoices):
    VERIFIED = "verified", "Verified"
    PARTLY_VERIFIED = "partly_verified", "Partly verified"
    UNVERIFIED = "unverified", "Unverified"


# Length limits, enforced by the forms, full_clean() and the database: a text over
# its limit is refused with a message, never cut.
TITLE_MAX = 300
TEXT_MAX = 20_000
URL_MAX = 500
ALSO_FOR_MAX = 300
NOTE_MAX = 5_000
WANTS_MAX = 300
QUOTE_MAX = 5_000


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class AttributedModel(TimeStampedModel):
    """Editorial records: who wrote them and who changed them last."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        """The fields' checks, but a relation set from an instance read from the
        database is not looked up again: it was read in this transaction, the
        database's foreign key still holds, and the look-up costs a query per
        relation per write (an import writes hundreds)."""
        loaded = {
            field.name
            for field in self._meta.concrete_fields
            if field.is_relation
            and field.is_cached(self)
            and getattr(self, field.name) is not None
            and not getattr(self, field.name)._state.adding
        }
        super().clean_fields(exclude={*(exclude or ()), *loaded})


class StatementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class Statement(AttributedModel):
    class Kind(models.TextChoices):
        ORAL = "oral", "Oral"
        WRITTEN = "written", "Written"
        JOINT = "joint", "Joint"

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="statements"
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text="The speaker.",
    )
    on_behalf_of = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
    )
    co_signers = models.ManyToManyField(
        Actor, blank=True, related_name="co_signed_statements"
    )
    supporters = models.ManyToManyField(
        Actor,
        blank=True,
        related_name="supported_statements",
        help_text='Actors that backed it ("backed by", "aligned with").',
    )
    # Database defaults too: bulk paths (COPY in synthetic sets) name their columns.
    also_for = models.CharField(
        max_length=ALSO_FOR_MAX,
        blank=True,
        default="",
        db_default="",
        help_text='Support that names no actor: "and several other delegations".',
    )
    date = models.DateField(null=True, blank=True, help_text="Within the session.")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.ORAL)
    title = models.CharField(max_length=TITLE_MAX)
    text = models.TextField(
        help_text="The quote or a summary.",
        validators=[MaxLengthValidator(TEXT_MAX)],
    )
    source_url = models.URLField(
        max_length=URL_MAX, blank=True, help_text="The first of its sources."
    )
    verification = models.CharField(
        max_length=16,
        choices=Verification.choices,
        default=Verification.VERIFIED,
        db_default=Verification.VERIFIED,
    )
    document_symbol = models.CharField(max_length=60, blank=True)
    language = models.CharField(max_length=8, default="en")
    note = models.TextField(
        blank=True,
        help_text="Editorial note, e.g. that a fact is not yet verified.",
        validators=[MaxLengthValidator(NOTE_MAX)],
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    review_comment = models.TextField(
        blank=True,
        default="",
        db_default="",
        help_text="A reviewer's word when sending a draft back (editors only).",
        validators=[MaxLengthValidator(NOTE_MAX)],
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["session__number", "date", "id"]
        permissions = [
            ("publish_statement", "Can publish and unpublish statements"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(source_url=""),
                name="published_statement_has_source",
            ),
            length_limit("title", TITLE_MAX),
            length_limit("text", TEXT_MAX),
            length_limit("source_url", URL_MAX),
            length_limit("also_for", ALSO_FOR_MAX),
            length_limit("note", NOTE_MAX),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.status == Status.PUBLISHED and not self.source_url:
            raise ValidationError(
                {"source_url": "A published statement needs a source."}
            )
        if self.date and self.session_id:
            session = self.session
            if not session.start_date <= self.date <= session.end_date:
                raise ValidationError(
                    {
                        "date": (
                            f"The date must fall within the session's dates: "
                            f"{session.start_date:%-d %B %Y} to "
                            f"{session.end_date:%-d %B %Y}."
                        )
                    }
                )


class PositionQuerySet(models.QuerySet):
    def published(self):
        """Counted in the matrix: published, on a published statement."""
        return self.filter(status=Status.PUBLISHED, statement__status=Status.PUBLISHED)


class Position(AttributedModel):
    Stance = models.TextChoices(
        "Stance",
        [(value.upper(), (value, stances.LABELS[value])) for value in stances.ORDER],
    )

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="positions"
    )
    provision = models.ForeignKey(
        Provision, on_delete=models.PROTECT, related_name="positions"
    )
    stance = models.CharField(max_length=24, choices=Stance.choices)
    wants = models.CharField(
        max_length=WANTS_MAX,
        blank=True,
        default="",
        db_default="",
        help_text="What the actor wants instead: \"delete 'without right'\".",
    )
    quote = models.TextField(
        blank=True,
        help_text="The passage that justifies the coding.",
        validators=[MaxLengthValidator(QUOTE_MAX)],
    )
    note = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "provision__order", "id"]
        permissions = [
            ("publish_position", "Can publish and unpublish positions"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "provision"],
                name="one_position_per_statement_and_provision",
            ),
            length_limit("wants", WANTS_MAX),
            length_limit("quote", QUOTE_MAX),
            length_limit("note", NOTE_MAX),
        ]

    def __str__(self):
        return f"{self.get_stance_display()}: {self.provision}"

    def clean(self):
        statement = self.statement if self.statement_id else None
        provision = self.provision if self.provision_id else None
        if statement and provision:
            if provision.treaty_id != statement.session.treaty_id:
                raise ValidationError(
                    {"provision": "The provision belongs to another treaty."}
                )
        if (
            statement
            and self.status == Status.PUBLISHED
            and statement.status != Status.PUBLISHED
        ):
            raise ValidationError(
                {"status": "Publish the statement before its positions."}
            )


class StatementSource(models.Model):
    """One source of a statement; the first (lowest `order`) is its `source_url`."""

    class Kind(models.TextChoices):
        OFFICIAL_RECORD = "official_record", "Official record"
        ACTOR_STATEMENT = "actor_statement", "The actor's own statement"
        NGO_REPORT = "ngo_report", "NGO report"
        NEWS = "news", "News"
        MEETING_SUMMARY = "meeting_summary", "Meeting summary"
        UNOFFICIAL_TRANSCRIPT = "unofficial_transcript", "Unofficial transcript"

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="sources"
    )
    url = models.URLField(max_length=URL_MAX)
    kind = models.CharField(
        max_length=24, choices=Kind.choices, default=Kind.OFFICIAL_RECORD
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["statement", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "url"], name="statement_source_listed_once"
            ),
            length_limit("url", URL_MAX),
        ]

    def __str__(self):
        return self.url


class ChangeProposal(TimeStampedModel):
    """An editor's edit of a published statement or position, held for a reviewer
    (states.services.change_accept applies it, change_reject declines it)."""

    class Entity(models.TextChoices):
        STATEMENT = "statement", "Statement"
        POSITION = "position", "Position"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    entity = models.CharField(max_length=10, choices=Entity.choices)
    object_id = models.BigIntegerField()
    data = models.JSONField(
        encoder=DjangoJSONEncoder, help_text="The fields to change, as proposed."
    )
    # What the record was when the change was proposed (states.proposals.base_of):
    # a proposal made on a version since changed is refused, not applied over it.
    # Empty for proposals kept before bases were.
    base = models.JSONField(encoder=DjangoJSONEncoder, null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(
        blank=True,
        help_text="The reviewer's word to the editor.",
        validators=[MaxLengthValidator(NOTE_MAX)],
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["entity", "object_id", "status"])]

    def __str__(self):
        return f"{self.get_entity_display()} {self.object_id}: {self.status}"


class MatrixState(models.Model):
    """Per treaty: how fresh its materialized matrix is (an outbox of one row).

    Marking stale happens in the same transaction as the edit, so a change can never
    be saved without its rebuild being owed, even when the broker is down.
    """

    treaty = models.OneToOneField(
        "provisions.Treaty",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="matrix_state",
    )
    stale_from = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Lowest session number whose snapshot is out of date; empty = fresh.",
    )
    dirty_version = models.PositiveBigIntegerField(
        default=0, help_text="Bumped by every change that can alter a cell."
    )
    built_version = models.PositiveBigIntegerField(default=0)
    build_count = models.PositiveBigIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)
    last_build_seconds = models.FloatField(null=True, blank=True)
    last_build_from = models.PositiveSmallIntegerField(null=True, blank=True)
    generation = models.PositiveIntegerField(
        default=0, help_text="The MatrixStance generation readers use."
    )

    class Meta:
        verbose_name = "matrix state"

    def __str__(self):
        return f"Matrix of treaty {self.treaty_id}"

    @property
    def stale(self):
        return self.stale_from is not None


class MatrixStance(models.Model):
    """One cell (actor, provision) holding for a run of session numbers.

    `from_number` ≤ s < `to_number` (or no `to_number`): the cell as of session s.
    Derived data, rewritten by the rebuild: no database foreign keys (their per-row
    checks would dominate the build) and no ORM cascades.
    """

    pk = models.CompositePrimaryKey(
        "treaty_id", "generation", "actor_id", "provision_id", "from_number"
    )
    treaty = models.ForeignKey(
        "provisions.Treaty",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    provision = models.ForeignKey(
        Provision,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    # A full rebuild writes a new generation beside the old one (no key collides
    # with rows it replaces), then drops the old one. On PostgreSQL the table is
    # partitioned by generation (migration 0008, states.matrix.storage).
    generation = models.PositiveIntegerField(default=0)
    from_number = models.PositiveSmallIntegerField()
    to_number = models.PositiveSmallIntegerField(null=True, blank=True)
    stance = models.CharField(max_length=24, choices=Position.Stance.choices)
    position_id = models.BigIntegerField()
    statement_id = models.BigIntegerField()
    via = models.CharField(max_length=80, null=True, blank=True)

    # The primary key (treaty, generation, actor, provision, from_number) is the only
    # index: it serves every read; each extra index slows the full rebuild (one on
    # from_number, for incremental builds, cost the full build far more than it saved
    # the incremental ones).

    def __str__(self):
        return f"{self.actor_id}/{self.provision_id} from {self.from_number}"


class Revision(models.Model):
    """One change to an editable record: who, when, and the record after it (before
    it, for a deletion). Restoring one is a change like any other
    (states.revisions)."""

    class Entity(models.TextChoices):
        STATEMENT = "statement", "Statement"
        POSITION = "position", "Position"
        TREATY = "treaty", "Treaty"
        SESSION = "session", "Session"
        DRAFT = "draft", "Draft"
        CHAPTER = "chapter", "Chapter"
        PROVISION = "provision", "Provision"
        PROVISION_TEXT = "provision_text", "Provision text"
        ACTOR = "actor", "Actor"
        ACTOR_ALIAS = "actor_alias", "Actor alias"
        GROUP = "group", "Group"
        MEMBERSHIP = "membership", "Membership"
        VOTE = "vote", "Vote"
        # A vote's sponsors and its ballots are each kept as one set per vote
        # (object_id is the vote's): they are written whole (states.acts).
        VOTE_SPONSORS = "vote_sponsors", "Vote sponsors"
        BALLOTS = "ballots", "Ballots"
        TREATY_ACTION = "treaty_action", "Treaty action"

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        DELETED = "deleted", "Deleted"
        # The first version of a record loaded in bulk (demo data): the baseline
        # later changes are compared with, not a change itself (states.changelog).
        LOADED = "loaded", "Loaded"

    entity = models.CharField(max_length=16, choices=Entity.choices)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=8, choices=Action.choices)
    data = models.JSONField(encoder=DjangoJSONEncoder)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Public: why the record was changed, when the change is a correction (shown in
    # the changelog; states.revisions.revision_give_reason).
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["entity", "object_id", "-created_at"]),
            # A statement's history finds its positions' versions, deleted ones
            # too, by the statement their data name (states.history).
            models.Index(
                KeyTransform("statement_id", "data"),
                condition=Q(entity="position"),
                name="revision_position_statement",
            ),
        ]

    def __str__(self):
        return f"{self.get_entity_display()} {self.object_id}: {self.action}"


class ApiToken(models.Model):
    """A user's API key, stored only as its SHA-256 digest.

    The key is printed once when issued (states.services.api_token_issue) and cannot
    be read back, from the admin or from a copy of the database.
    """

    PREFIX_LENGTH = 8

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token"
    )
    prefix = models.CharField(
        max_length=PREFIX_LENGTH,
        help_text="The key's first characters, to tell keys apart; not a secret.",
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "API token"

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(key):
        # Keys are random (160 bits), so a plain hash is as good as a slow one here.
        return hashlib.sha256(key.encode()).hexdigest()


# Formal acts (DESIGN.md §2b) ----------------------------------------------------
# Recorded votes with one ballot per actor, and the steps actors take on an adopted
# treaty. A layer of the record beside the position matrix, not inside it: nothing
# here changes a matrix cell.


class Verification(models.TextChoices):
    VERIFIED = "verified", "Verified"
    PARTLY_VERIFIED = "partly_verified", "Partly verified"
    UNVERIFIED = "unverified", "Unverified"


def _clean_sources(sources):
    """Sources are a list of non-empty strings: URLs as the research notes give them
    (some without a scheme, a few shortened with "…" by the notes themselves)."""
    if not isinstance(sources, list) or not all(
        isinstance(s, str) and s.strip() and len(s) <= 500 for s in sources
    ):
        raise ValidationError(
            {"sources": "A list of source URLs (non-empty text, ≤ 500 characters)."}
        )


class Vote(TimeStampedModel):
    """A recorded vote of a body on a question; its totals come from its ballots."""

    treaty = models.ForeignKey(
        "provisions.Treaty", on_delete=models.PROTECT, related_name="votes"
    )
    body = models.CharField(max_length=120, help_text='e.g. "General Assembly".')
    date = models.DateField()
    document_symbol = models.CharField(max_length=60, blank=True)
    title = models.CharField(max_length=300)
    question = models.CharField(
        max_length=300, help_text="One plain sentence: what a yes vote means."
    )
    sponsors = models.ManyToManyField(
        Actor, through="VoteSponsor", blank=True, related_name="sponsored_votes"
    )
    sources = models.JSONField(default=list, blank=True)
    verification = models.CharField(
        max_length=16, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    note = models.TextField(blank=True, help_text="Shown with the vote.")

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["treaty", "body", "date", "document_symbol"],
                name="vote_unique_per_body_date_symbol",
            ),
        ]

    def __str__(self):
        return self.document_symbol or self.title

    def clean(self):
        _clean_sources(self.sources)


class VoteSponsor(TimeStampedModel):
    """An actor that sponsored the text voted on: as first tabled, or joining later."""

    class Role(models.TextChoices):
        SPONSOR = "sponsor", "Sponsor (as first tabled)"
        CO_SPONSOR = "co_sponsor", "Co-sponsor"

    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="sponsorships"
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="sponsorships"
    )
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        ordering = ["vote", "actor__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "actor", "role"], name="one_sponsorship_per_role"
            ),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"


class Ballot(TimeStampedModel):
    class Choice(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        ABSTAIN = "abstain", "Abstain"
        NON_VOTING = "non_voting", "Non-voting"

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(max_length=12, choices=Choice.choices)

    class Meta:
        ordering = ["vote", "actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "actor"], name="one_ballot_per_vote_and_actor"
            ),
        ]

    def __str__(self):
        return f"{self.actor}: {self.get_choice_display()}"


class TreatyActionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class TreatyAction(AttributedModel):
    """A step an actor takes on the adopted treaty."""

    class Kind(models.TextChoices):
        SIGNATURE = "signature", "Signature"
        DOMESTIC_APPROVAL = "domestic_approval", "Domestic approval"
        RATIFICATION = "ratification", "Ratification"
        ACCEPTANCE = "acceptance", "Acceptance"
        APPROVAL = "approval", "Approval"
        ACCESSION = "accession", "Accession"
        DECLARATION = "declaration", "Declaration"
        RESERVATION = "reservation", "Reservation"
        WITHDRAWAL = "withdrawal", "Withdrawal"

    # Instruments deposited with the depositary: what makes a party.
    INSTRUMENTS = (
        Kind.RATIFICATION,
        Kind.ACCEPTANCE,
        Kind.APPROVAL,
        Kind.ACCESSION,
    )

    class DatePrecision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month (the day is not known)"

    treaty = models.ForeignKey(
        "provisions.Treaty", on_delete=models.PROTECT, related_name="treaty_actions"
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="treaty_actions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    date = models.DateField()
    date_precision = models.CharField(
        max_length=6,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="When only the month is known, the date is its first day.",
    )
    text = models.TextField(
        blank=True,
        help_text="The declaration or reservation; for other steps, what was done.",
    )
    sources = models.JSONField(default=list, blank=True)
    verification = models.CharField(
        max_length=16, choices=Verification.choices, default=Verification.UNVERIFIED
    )
    note = models.TextField(blank=True, help_text="Editors only.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    objects = TreatyActionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "actor__name", "id"]
        permissions = [
            ("publish_treatyaction", "Can publish and unpublish treaty actions"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["treaty", "actor", "kind", "date"],
                name="one_treaty_action_per_kind_and_day",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(sources=[]),
                name="published_treaty_action_has_source",
            ),
        ]
        indexes = [models.Index(fields=["treaty", "kind", "date"])]

    def __str__(self):
        return f"{self.actor}: {self.get_kind_display()} ({self.date})"

    @property
    def is_instrument(self):
        return self.kind in self.INSTRUMENTS

    def clean(self):
        _clean_sources(self.sources)
        if self.status == Status.PUBLISHED and not self.sources:
            raise ValidationError(
                {"sources": "A published treaty action needs a source."}
            )
        if self.date_precision == self.DatePrecision.MONTH and self.date.day != 1:
            raise ValidationError(
                {"date": "With month precision, give the first day of the month."}
            )
