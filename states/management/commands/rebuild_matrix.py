"""manage.py rebuild_matrix [--treaty SLUG] [--stale-only]: rebuild the matrix now."""

from django.core.management.base import BaseCommand, CommandError

from provisions.models import Treaty
from states import services


class Command(BaseCommand):
    help = (
        "Rebuild the materialized position matrix of every treaty (or one), "
        "synchronously, and print what was done."
    )

    def add_arguments(self, parser):
        parser.add_argument("--treaty", metavar="SLUG", help="Only this treaty.")
        parser.add_argument(
            "--stale-only",
            action="store_true",
            help="Only rebuild what is owed (from the stale session on); "
            "by default every snapshot is rebuilt from scratch.",
        )

    def handle(self, *args, treaty=None, stale_only=False, **options):
        treaties = Treaty.objects.order_by("slug")
        if treaty:
            treaties = treaties.filter(slug=treaty)
            if not treaties.exists():
                raise CommandError(f"There is no treaty '{treaty}'.")
        for each in treaties:
            summary = services.matrix_rebuild(treaty_id=each.pk, full=not stale_only)
            if summary["status"] == "fresh":
                self.stdout.write(f"{each.slug}: fresh, nothing to rebuild")
                continue
            self.stdout.write(
                f"{each.slug}: rebuilt from session {summary['from_session']} on: "
                f"{summary['rows_deleted']} cell runs removed, "
                f"{summary['rows_inserted']} written in {summary['seconds']:.2f} s"
            )
