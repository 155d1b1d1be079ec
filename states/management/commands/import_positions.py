"""Import positions from a CSV or XLSX file (issue 12): a dry run shows what would
change and every issue; without --dry-run a file with no issue is written."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from provisions.models import Treaty
from states import imports


class Command(BaseCommand):
    help = (
        "Import positions from FILE (CSV or XLSX, one row per position) into the "
        "treaty SLUG. Prints what is created, updated and unchanged, and every issue "
        "by row and column; a file with any issue writes nothing (exit status 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--treaty", required=True, help="The treaty's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count; write nothing."
        )
        parser.add_argument(
            "--user", help="Who imports (the records' author in their history)."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish what is imported (needs --user, a reviewer).",
        )

    def handle(self, *args, file, treaty, dry_run, user, publish, **options):
        treaty_record = Treaty.objects.filter(slug=treaty).first()
        if treaty_record is None:
            raise CommandError(f"No treaty has the slug {treaty!r}.")
        importer = self._user(user)
        if publish and importer is None:
            raise CommandError("--publish needs --user USERNAME (a reviewer).")
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}.") from None
        try:
            table = imports.read_table(content, path.name)
            report = imports.import_table(
                treaty=treaty_record,
                table=table,
                user=importer,
                publish=publish,
                dry_run=dry_run,
            )
        except imports.FileRefused as error:
            raise CommandError(f"{file}: {error}") from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self._print(report, dry_run)

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None

    def _print(self, report, dry_run):
        for issue in report.issues:
            self.stderr.write(str(issue))
        if report.unmatched:
            self.stderr.write(
                "Names matched to no actor or group: " + "; ".join(report.unmatched)
            )
        if report.issues:
            self.stdout.write(f"Would be (nothing written): {report.counts_line()}")
            raise CommandError(f"{len(report.issues)} issue(s): nothing was imported.")
        if dry_run:
            self.stdout.write(f"Dry run (nothing written): {report.counts_line()}")
        else:
            state = "published" if report.publish else "drafts"
            self.stdout.write(f"Imported ({state}): {report.counts_line()}")
