"""What the public writes: follows by e-mail, and reports of a mistake in a quote.

An address is stored only once its owner confirmed a follow (the pending request
travels in the signed confirmation link, not in the database) and only while it
follows something: unsubscribing, or stopping the last follow, deletes it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Follower(models.Model):
    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The newest revision (states.Revision) already told to this follower, or that
    # existed when they began following: changes after it are news.
    cursor = models.BigIntegerField(default=0)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.email


class Follow(models.Model):
    class Kind(models.TextChoices):
        ACTOR = "actor", "Actor"
        PROVISION = "provision", "Provision"
        GROUP = "group", "Group"
        SEARCH = "search", "Search"

    follower = models.ForeignKey(
        Follower, on_delete=models.CASCADE, related_name="follows"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # actor code, "<treaty slug>/<provision slug>", group slug, or the search words.
    key = models.CharField(max_length=200)
    label = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["follower", "kind", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["follower", "kind", "key"], name="follow_once_per_target"
            ),
        ]

    def __str__(self):
        return f"{self.follower} follows {self.get_kind_display().lower()} {self.key}"


class CorrectionReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=CorrectionReport.Status.OPEN)


class CorrectionReport(models.Model):
    """A reader's report that a quote or its coding is wrong, and the answer."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    statement = models.ForeignKey(
        "states.Statement", on_delete=models.CASCADE, related_name="+"
    )
    position = models.ForeignKey(
        "states.Position",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.TextField(help_text="What is wrong, in the reader's words.")
    source_url = models.URLField(
        max_length=500, blank=True, help_text="Where the reader saw it otherwise."
    )
    email = models.EmailField(blank=True, help_text="Optional, for a reply.")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(
        blank=True,
        help_text="The reviewer's answer; public as the correction's reason.",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = CorrectionReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(answer=""),
                name="answered_report_has_answer",
            ),
        ]

    def __str__(self):
        return f"Report {self.pk} on statement {self.statement_id} ({self.status})"
