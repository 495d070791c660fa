from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotations.models import ApiToken
from annotations.services.tokens import token_revoke


class Command(BaseCommand):
    help = "Revoke a user's API tokens (all of them, or one by id)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--id", type=int, help="only this token")

    def handle(self, *args, username: str, id: int | None, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        if id is not None:
            tokens = tokens.filter(pk=id)
        count = 0
        for token in tokens:
            token_revoke(token=token)
            count += 1
        self.stdout.write(f"revoked {count} token(s) of {username}")
