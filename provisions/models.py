"""Treaties, their sessions, drafts, chapters and provisions (with text per draft)."""

from django.db import models
from django.db.models import F, Q

from common.db import TimeStampedModel


class Treaty(TimeStampedModel):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=120, blank=True)
    negotiating_body = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    # Formal acts (DESIGN.md §2b): adoption, the signature period and the rule for
    # entry into force. Empty until the text is adopted.
    adopted_on = models.DateField(null=True, blank=True)
    signature_opens_on = models.DateField(null=True, blank=True)
    signature_closes_on = models.DateField(null=True, blank=True)
    entry_into_force_threshold = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How many instruments bring the treaty into force (e.g. 40).",
    )
    entry_into_force_delay_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Days after the threshold-th instrument (e.g. 90).",
    )
    regional_orgs_count = models.BooleanField(
        default=False,
        help_text="Whether instruments of regional organizations count toward the "
        "threshold.",
    )

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "treaties"
        constraints = [
            models.CheckConstraint(
                condition=Q(signature_closes_on__isnull=True)
                | Q(signature_opens_on__isnull=True)
                | Q(signature_closes_on__gte=F("signature_opens_on")),
                name="treaty_signature_closes_after_it_opens",
            ),
        ]

    def __str__(self):
        return self.short_title or self.title


class SessionQuerySet(models.QuerySet):
    def with_snapshot(self):
        """Sessions that have a matrix snapshot: started or finished ones."""
        return self.exclude(status=Session.Status.SCHEDULED)


class Session(TimeStampedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    treaty = models.ForeignKey(
        Treaty, on_delete=models.CASCADE, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(
        help_text="Orders the sessions; 0 for an organizational session."
    )
    title = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField()
    venue = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["treaty", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["treaty", "number"], name="session_number_unique_per_treaty"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="session_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_date:%b %Y})"


class Draft(TimeStampedModel):
    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="drafts")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    symbol = models.CharField(
        max_length=60, blank=True, help_text="UN document symbol, e.g. A/AC.291/22."
    )
    published_on = models.DateField(null=True, blank=True)
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drafts",
        help_text="The session this draft was prepared for.",
    )

    class Meta:
        ordering = ["treaty", "published_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["treaty", "slug"], name="draft_slug_unique_per_treaty"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.symbol})" if self.symbol else self.title


class Chapter(TimeStampedModel):
    treaty = models.ForeignKey(
        Treaty, on_delete=models.CASCADE, related_name="chapters"
    )
    number = models.CharField(max_length=10, help_text="As printed: I, II, 3 …")
    title = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["treaty", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["treaty", "number"], name="chapter_number_unique_per_treaty"
            ),
        ]

    def __str__(self):
        return f"Chapter {self.number}. {self.title}"


class ProvisionQuerySet(models.QuerySet):
    def in_reading_order(self):
        """Chapter order first (provisions outside any chapter last), then `order`."""
        return self.order_by(F("chapter__order").asc(nulls_last=True), "order", "id")


class Provision(TimeStampedModel):
    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        PARAGRAPH = "paragraph", "Paragraph"
        PROPOSAL = "proposal", "Proposal"
        ISSUE = "issue", "Cross-cutting issue"

    treaty = models.ForeignKey(
        Treaty, on_delete=models.CASCADE, related_name="provisions"
    )
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    chapter = models.ForeignKey(
        Chapter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provisions",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveIntegerField(default=0)
    proposition = models.CharField(
        max_length=400,
        help_text="One plain sentence saying what support means for this provision.",
    )

    objects = ProvisionQuerySet.as_manager()

    class Meta:
        ordering = ["treaty", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["treaty", "slug"], name="provision_slug_unique_per_treaty"
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="provision_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return self.title


class ProvisionText(TimeStampedModel):
    provision = models.ForeignKey(
        Provision, on_delete=models.CASCADE, related_name="texts"
    )
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="texts")
    label = models.CharField(max_length=60, help_text='As printed: "Article 5".')
    heading = models.CharField(max_length=300, blank=True)
    # Only the draft's own words; empty when the text is not on record (the label
    # and heading may be known from reports without it).
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["provision", "draft__published_on", "draft_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provision", "draft"], name="one_text_per_provision_and_draft"
            ),
        ]

    def __str__(self):
        return f"{self.label} in {self.draft}"

    @property
    def on_record(self):
        """Whether the draft's text itself is recorded (not just label and heading)."""
        return bool(self.text.strip())
