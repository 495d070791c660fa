"""API tokens: issue, revoke, and find the user a token belongs to."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from annotations.models import ApiToken

# What a request needs of its user; the other fields load on first use. A plain query: the ORM's
# compiling of a select_related lookup cost more than the rest of an API create's reads.
# (In the model's field order, which Model.from_db() expects of a partial row.)
USER_FIELDS = tuple(
    f.attname
    for f in get_user_model()._meta.concrete_fields
    if f.attname in {"id", "username", "is_active", "is_staff", "is_superuser"}
)


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
    """The active user an unrevoked token belongs to, or None."""
    user_model = get_user_model()
    with connection.cursor() as cursor:
        cursor.execute(_token_user_sql(connection.vendor), [ApiToken.digest_of(secret)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = [bool(value) if name.startswith("is_") else value for name, value in zip(USER_FIELDS, row, strict=True)]
    return user_model.from_db(connection.alias, list(USER_FIELDS), values)


@functools.cache
def _token_user_sql(vendor: str) -> str:
    """The lookup's SQL, built once a database kind (it quotes names as that database does)."""
    user_model = get_user_model()
    quote = connection.ops.quote_name
    users, tokens = quote(user_model._meta.db_table), quote(ApiToken._meta.db_table)
    columns = ", ".join(f"{users}.{quote(user_model._meta.get_field(name).column)}" for name in USER_FIELDS)
    return (
        f"SELECT {columns} FROM {tokens} INNER JOIN {users} ON {tokens}.{quote('user_id')} = {users}.{quote('id')}"
        f" WHERE {tokens}.{quote('digest')} = %s AND {tokens}.{quote('revoked_at')} IS NULL"
        f" AND {users}.{quote('is_active')}"
    )
