"""Settings for Sinorus, read from environment variables with safe local defaults.

DEBUG, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and HTTPS are the variables that
matter; the README lists them all.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SINORUS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, else a random key kept in var/ across restarts."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# HTTPS hardening is on by default outside DEBUG; `make run` on plain http://127.0.0.1 sets HTTPS=0.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
# How many proxies of ours stand in front of the app, each appending to X-Forwarded-For; the
# client's address (for throttling) is read from there. 0: REMOTE_ADDR is the client.
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0") or 0)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# A strict Content-Security-Policy: no inline script or style anywhere (JS and CSS live in static/).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

INSTALLED_APPS = [
    "sinorus",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "articles",
    "annotations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sinorus.security.DatabaseUnavailableMiddleware",
    "sinorus.security.MethodNotAllowedPage",
]

ROOT_URLCONF = "sinorus.urls"
ARTICLE_READER_URL = "annotations:reader"
WSGI_APPLICATION = "sinorus.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "annotations.context_processors.may",
            ],
        },
    },
]


def _sqlite_options() -> dict:
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN, so
    # concurrent writers wait up to `timeout` seconds instead of failing mid-transaction.
    return {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if database["ENGINE"] == "django.db.backends.sqlite3":  # the same safety as the default file
            database["OPTIONS"] = {**_sqlite_options(), **database.get("OPTIONS", {})}
        return database
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "sinorus.sqlite3",
        # Keep each thread's connection: opening one (and its PRAGMAs) costs more than a query.
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": _sqlite_options(),
        "TEST": {"NAME": VAR_DIR / "test.sqlite3"},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _mailers() -> dict:
    """The default mailer from EMAIL_URL (smtp://, smtp+tls://, smtps://, console://) or EMAIL_HOST and friends.

    Empty when neither is set: there is no mail server, so nothing offers to send mail (the
    password-reset pages answer 404) and anything that still tries fails loudly.
    """
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    if url := os.environ.get("EMAIL_URL", ""):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "console":
            return {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
        ports = {"smtp": 25, "smtp+tls": 587, "smtps": 465}
        if scheme not in ports or not parts.hostname:
            raise ImproperlyConfigured(
                "EMAIL_URL must look like smtp+tls://user:password@host:587 (or smtp://, smtps://, console://)"
            )
        options = {
            "host": parts.hostname,
            "port": parts.port or ports[scheme],
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": scheme == "smtp+tls",
            "use_ssl": scheme == "smtps",
        }
    elif host := os.environ.get("EMAIL_HOST", ""):
        options = {
            "host": host,
            "port": int(os.environ.get("EMAIL_PORT", "") or 25),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "use_ssl": env_bool("EMAIL_USE_SSL", False),
        }
    else:
        return {}
    return {"default": {"BACKEND": smtp, "OPTIONS": options | {"timeout": 10}}}


MAILERS = _mailers()
# No mail server is a supported setup (password reset is then hidden), not a misconfiguration.
SILENCED_SYSTEM_CHECKS = [] if MAILERS else ["mail.W001"]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "") or "sinorus@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "articles:list"
LOGOUT_REDIRECT_URL = "articles:list"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("SINORUS_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Long work (alignment, big exports) runs in `manage.py db_worker`, queued in the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Where background exports are written: a shared volume when several app servers run.
EXPORT_DIR = Path(os.environ.get("EXPORT_DIR", VAR_DIR / "exports"))
# The alignment's corpus index (derived data: rebuilt by a full alignment when missing).
ALIGNMENT_INDEX_DIR = Path(os.environ.get("ALIGNMENT_INDEX_DIR", VAR_DIR / "alignment"))
# Articles changed at once beyond which the alignment is computed again in full, and the share of
# the corpus added one by one after which the next alignment is a full one.
ALIGNMENT_INCREMENTAL_LIMIT = int(os.environ.get("ALIGNMENT_INCREMENTAL_LIMIT", "20"))
ALIGNMENT_FULL_AFTER_SHARE = float(os.environ.get("ALIGNMENT_FULL_AFTER_SHARE", "0.1"))
# A corpus of at most this many articles is aligned in full when two or more new articles arrive
# together (a new story's articles added one at a time against each other pile into a few rows).
ALIGNMENT_FULL_FOR_NEW_STORY = int(os.environ.get("ALIGNMENT_FULL_FOR_NEW_STORY", "200"))

# Annotations a page of the API's AnnotationCollection holds (W3C paging: first/last/next/prev).
API_PAGE_SIZE = max(1, int(os.environ.get("API_PAGE_SIZE", "1000") or 1000))

# Importer limits: a scraped article is a few KB; anything past this is not an article.
ARTICLE_MAX_BYTES = int(os.environ.get("ARTICLE_MAX_BYTES", 2 * 1024 * 1024))
# Seconds one file may take to extract, clean and segment before its import fails with a clear message.
ARTICLE_TIME_BUDGET = float(os.environ.get("ARTICLE_TIME_BUDGET", "30"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_without_traceback": {"()": "sinorus.logfilters.ForbiddenWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["forbidden_without_traceback"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
