"""The group page: its members over time, and how cohesive the members present at
the current session are on each provision."""

from collections import Counter
from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from pages.selectors.shared import chapter_bands, chapters_by_id, matrix_for
from states import stances
from states.models import Group, Membership


def group_with_memberships(slug):
    """The group and every membership (past ones too), by start date then name."""
    group = get_object_or_404(Group, slug=slug)
    memberships = list(
        Membership.objects.filter(group=group)
        .select_related("actor")
        .order_by("start_date", "actor__name", "id")
    )
    return group, memberships


@dataclass(frozen=True)
class Cohesion:
    """On one provision: how many members have a stance (the evidence), the most
    common stance, and the share of those members holding it (a percentage)."""

    provision: dict
    coded: int
    members: int
    stance: str | None
    holding: int
    counts: list

    @property
    def share(self):
        return round(100 * self.holding / self.coded) if self.coded else 0


def group_cohesion(treaty, group):
    """(matrix view of the members as of the current session, [(chapter,
    [Cohesion])]) over the provisions on which at least one member has a stance.

    Members are those in the group on the session's first day, whatever their kind.
    A tie for the most common stance takes the first in the legend's order.
    """
    view = matrix_for(treaty.slug, kind="all", group=group.slug)
    codes = [actor["code"] for actor in view.actors]
    order = {stance: i for i, stance in enumerate(stances.ORDER)}
    rows = []
    for provision in view.provisions:
        counts = Counter(
            cell["stance"]
            for code in codes
            if (cell := view.cells.get((code, provision["id"]))) is not None
        )
        if not counts:
            continue
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99)))
        rows.append(
            Cohesion(
                provision=provision,
                coded=sum(counts.values()),
                members=len(codes),
                stance=ranked[0][0],
                holding=ranked[0][1],
                counts=ranked,
            )
        )
    chapters = chapters_by_id(view.provisions)
    return view, chapter_bands(
        rows, lambda row: chapters.get(row.provision["chapter_id"])
    )
