"""`manage.py load_demo`: the UN cybercrime negotiation, real and sourced."""

from django.core.management.base import BaseCommand

from demo.loader import demo_load


class Command(BaseCommand):
    help = (
        "Load the demo data (UN Ad Hoc Committee on cybercrime). Idempotent: "
        "running it again updates the same rows."
    )

    def handle(self, *args, **options):
        counts = demo_load()
        if options["verbosity"] < 1:
            return
        width = max(len(label) for label in counts)
        for label, count in counts.items():
            self.stdout.write(f"{label:<{width}}  {count:>5}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
