"""Test settings: the real settings with fast password hashing and unhashed static names."""

import tempfile
from pathlib import Path

from sinorus.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Static files come from the sources: an empty root of their own, so that what `make run` collected
# (an older copy after an edit) is never what a browser test runs.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = Path(tempfile.gettempdir()) / "sinorus-test-static-root"
STATIC_ROOT.mkdir(exist_ok=True)
