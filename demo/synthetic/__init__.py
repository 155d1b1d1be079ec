"""Synthetic negotiations of a given scale, reproducible from a seed (DESIGN.md §6).

`generate_synthetic(scale="un")` builds the benchmark's data set: 250 actors, 15 groups
with dated memberships, 12 sessions, 9 chapters, 600 provisions, 25,000 statements and
300,000 positions. Actors and groups are global in the domain, so the synthetic ones get
codes and slugs no real data uses (ISO 3166 reserves XAA–XZZ for user assignment; groups
and other actors are prefixed `syn-`/`SYN-`); they are updated in place on every run,
while the treaty itself (sessions, provisions, statements, positions) is replaced.

The rows are written in bulk (PostgreSQL COPY for positions), past the per-row
services; the treaty's whole matrix is then marked stale, in the same transaction, so
the usual machinery rebuilds it after commit.
"""

import random
from dataclasses import dataclass

from django.db import transaction

from demo.synthetic.generator import Generator
from provisions.models import Treaty
from states.bulk import bulk_loaded, treaty_records_delete

DEFAULT_SEED = 20221
GENERATOR_VERSION = 2


@dataclass(frozen=True)
class Scale:
    member_states: int
    observer_states: int
    civil_society: int
    sessions: int
    chapters: int
    provisions: int
    statements: int
    positions: int

    @property
    def actors(self):
        # + 1: the regional organization (the EU).
        return self.member_states + self.observer_states + 1 + self.civil_society


SCALES = {
    "un": Scale(193, 2, 54, 12, 9, 600, 25_000, 300_000),
    "small": Scale(24, 1, 4, 4, 3, 40, 300, 3_000),
}


def treaty_marker(scale, seed):
    """The description that identifies a generated treaty's scale, seed and version."""
    return (
        f"Synthetic negotiation (scale {scale}, seed {seed}, "
        f"generator v{GENERATOR_VERSION}); not real data."
    )


def generate_synthetic(*, scale="un", seed=DEFAULT_SEED, treaty_slug="synthetic-un"):
    """Replace `treaty_slug` with a synthetic negotiation; returns the row counts."""
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}; choose from {sorted(SCALES)}.")
    generator = Generator(SCALES[scale], random.Random(seed))
    with transaction.atomic():
        treaty = _replace_treaty(treaty_slug, treaty_marker(scale, seed))
        counts = generator.run(treaty)
        bulk_loaded(treaty_id=treaty.id)
    return counts


def _replace_treaty(slug, description):
    treaty = Treaty.objects.filter(slug=slug).first()
    if treaty is not None:
        treaty_records_delete(treaty=treaty)
    return Treaty.objects.create(
        slug=slug,
        title="Synthetic Convention on Benchmarking",
        short_title="Synthetic convention",
        negotiating_body="Synthetic Ad Hoc Committee",
        description=description,
    )
