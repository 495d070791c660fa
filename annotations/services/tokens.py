"""API tokens: issue, revoke, and find the user a token belongs to."""

from __future__ import annotations

from django.utils import timezone

from annotations.models import ApiToken


def token_issue(*, user, label: str = "") -> str:
    """Create an API token for `user`; return the secret, which is not stored anywhere."""
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(secret), label=label)
    return secret


def token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def token_user(secret: str):
    """The user an unrevoked token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return token.user if token else None
