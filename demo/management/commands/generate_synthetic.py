"""Build a synthetic negotiation for benchmarks and tests (DESIGN.md §6)."""

import time

from django.core.management.base import BaseCommand

from demo.synthetic import DEFAULT_SEED, SCALES, generate_synthetic


class Command(BaseCommand):
    help = (
        "Replace a treaty with a synthetic negotiation, reproducibly from a seed. "
        "--scale un is the benchmark's data set (250 actors, 600 provisions, "
        "25,000 statements, 300,000 positions)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="un")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--treaty", default="synthetic-un", metavar="SLUG")

    def handle(self, *args, scale, seed, treaty, **options):
        started = time.perf_counter()
        counts = generate_synthetic(scale=scale, seed=seed, treaty_slug=treaty)
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{n:,} {what}" for what, n in counts.items())
        # Without a broker the rebuild ran in-process on commit, inside this time.
        self.stdout.write(
            f"Generated {treaty} in {elapsed:.1f} s: {summary}. "
            "Its matrix was marked stale and its rebuild scheduled."
        )
