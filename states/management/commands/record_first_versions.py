"""`manage.py record_first_versions`: a first version of every record without one."""

from django.core.management.base import BaseCommand
from django.db import transaction

from states import revisions


class Command(BaseCommand):
    help = (
        "Record a first version ('loaded', by the system) of every editable record "
        "that has no revision yet, e.g. records that predate their history. "
        "Idempotent: a second run records nothing."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            count = revisions.record_first_versions()
        self.stdout.write(self.style.SUCCESS(f"{count} first version(s) recorded."))
