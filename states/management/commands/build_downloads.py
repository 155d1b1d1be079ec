"""manage.py build_downloads [--treaty SLUG]: write the /data/ downloads now."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from provisions.models import Treaty
from states import dump


class Command(BaseCommand):
    help = (
        "Build the complete downloads (ZIP of CSV with CSVW metadata, and SQLite) "
        "of every treaty (or one) into DOWNLOADS_ROOT, synchronously."
    )

    def add_arguments(self, parser):
        parser.add_argument("--treaty", metavar="SLUG", help="Only this treaty.")

    def handle(self, *args, treaty=None, **options):
        treaties = Treaty.objects.order_by("slug")
        if treaty:
            treaties = treaties.filter(slug=treaty)
            if not treaties.exists():
                raise CommandError(f"There is no treaty '{treaty}'.")
        for each in treaties:
            manifest = dump.dump_build(each)
            sizes = ", ".join(
                f"{kind} {filesizeformat(entry['size'])}"
                for kind, entry in manifest["files"].items()
            )
            self.stdout.write(
                f"{each.slug}: {sum(t['rows'] for t in manifest['tables'])} rows in "
                f"{len(manifest['tables'])} tables, {sizes}, "
                f"in {manifest['seconds']:.2f} s"
            )
