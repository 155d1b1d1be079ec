"""Issue a user's API key and print it once (`--rotate` replaces an existing one)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from states import services


class Command(BaseCommand):
    help = (
        "Issue USERNAME's API key (Authorization: Token <key>) and print it. Only its "
        "hash is stored: keep it now, it cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Replace the existing key; clients using the old one get 401.",
        )

    def handle(self, *args, username, rotate, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        try:
            key = services.api_token_issue(user=user, rotate=rotate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(key)
