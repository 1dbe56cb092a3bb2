"""Settings, all read from the environment (see .env.example). Safe by default.

* ``DEBUG`` is off unless ``GONGKAI_DEBUG=1``.
* ``GONGKAI_PRODUCTION=1`` refuses to start without ``GONGKAI_SECRET_KEY`` and
  ``GONGKAI_ALLOWED_HOSTS`` and turns on every HTTPS hardening setting.
* ``DATABASE_URL`` selects PostgreSQL; unset, an SQLite file under the data directory is used.
* Staff sign-in lockout, two-step sign-in, request size limit and personal-data masking in logs
  live in ``gongkai.core.security`` (see docs/security.md).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SRC_DIR = Path(__file__).resolve().parents[1]  # src/gongkai
BASE_DIR = SRC_DIR.parents[1]  # the checkout


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


PRODUCTION = env_bool("GONGKAI_PRODUCTION")
DEBUG = env_bool("GONGKAI_DEBUG") and not PRODUCTION
DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR") or BASE_DIR / "var").resolve()


def _secret_key() -> str:
    key = os.environ.get("GONGKAI_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "生产模式（GONGKAI_PRODUCTION=1）必须设置 GONGKAI_SECRET_KEY 环境变量"
            " / production mode requires GONGKAI_SECRET_KEY"
        )
    # Development: a random key kept in the data directory so sessions survive restarts.
    key_file = DATA_DIR / "secret_key"
    try:
        return key_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key, encoding="utf-8")
        key_file.chmod(0o600)
        return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("GONGKAI_ALLOWED_HOSTS")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "生产模式必须设置 GONGKAI_ALLOWED_HOSTS（逗号分隔的域名）"
        " / production mode requires GONGKAI_ALLOWED_HOSTS"
    )
if not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("GONGKAI_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "gongkai.core",
    "gongkai.ledger.requests",
    "gongkai.ledger.appeals",
    "gongkai.ledger.publishing",
    "gongkai.ledger.messages",
    "gongkai.ledger.annual",
    "gongkai.oversight",
    "gongkai.api",
    "rest_framework",
    "drf_spectacular",
    # 正文 rich-text editor (ProseMirror/Tiptap): its static files and system checks.
    "django_prose_editor",
    "gongkai.web.backoffice",
    "gongkai.web.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside WhiteNoise and the size limit, so that every response (static files, 413) gets
    # X-Frame-Options and the CSP too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.core.middleware.SecurityHeadersMiddleware",
    "gongkai.core.security.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongkai.core.security.middleware.TwoFactorMiddleware",
]

ROOT_URLCONF = "gongkai.config.urls"
WSGI_APPLICATION = "gongkai.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.core.context_processors.platform",
            ],
            "libraries": {"personal_data": "gongkai.core.security.templatetags"},
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_sqlite,
        conn_max_age=int(os.environ.get("GONGKAI_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The lockout wraps Django's ModelBackend, so every sign-in path (back office, admin) is covered.
AUTHENTICATION_BACKENDS = ["gongkai.core.security.backends.LockoutModelBackend"]
GONGKAI_LOGIN_MAX_FAILURES = int(os.environ.get("GONGKAI_LOGIN_MAX_FAILURES", "5"))
GONGKAI_LOGIN_IP_MAX_FAILURES = int(os.environ.get("GONGKAI_LOGIN_IP_MAX_FAILURES", "20"))
GONGKAI_LOGIN_WINDOW_MINUTES = int(os.environ.get("GONGKAI_LOGIN_WINDOW_MINUTES", "15"))
GONGKAI_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("GONGKAI_LOGIN_LOCKOUT_MINUTES", "15"))
# Reverse proxies in front of gongkai that append to X-Forwarded-For (nginx: 1). 0 = none,
# the header is ignored. Used for the login lockout and the rate limits.
GONGKAI_TRUSTED_PROXIES = int(os.environ.get("GONGKAI_TRUSTED_PROXIES", "0"))
RATELIMIT_IP_META_KEY = "gongkai.core.security.client_ip.client_ip"
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:dashboard"
LOGOUT_REDIRECT_URL = "backoffice:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# In development WhiteNoise serves straight from the apps (finders); production collects.
STATIC_ROOT = DATA_DIR / "static" if PRODUCTION else None
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Whole request body (files included), refused with 413 above it; nginx client_max_body_size
# should say the same. Attachment services check their own per-file limit below it.
GONGKAI_MAX_REQUEST_MB = float(os.environ.get("GONGKAI_MAX_REQUEST_MB", "25"))
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# Rate limits and other counters must be shared by every app process: production (several
# gunicorn processes) uses a file cache in the data directory unless GONGKAI_CACHE says otherwise.
_cache = os.environ.get("GONGKAI_CACHE", "") or ("file" if PRODUCTION else "locmem")
if _cache not in {"file", "locmem"}:
    raise ImproperlyConfigured("GONGKAI_CACHE 只能是 file 或 locmem / must be file or locmem")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
        if _cache == "file"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Rendered public pages, shared by the app processes (see web/portal/publishing/cache.py);
    # keys carry the portal generation, so a publish never serves an old page.
    "portal_pages": (
        {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache-portal"),
            "OPTIONS": {"MAX_ENTRIES": 20_000, "CULL_FREQUENCY": 4},
        }
        if _cache == "file"
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "gongkai-portal-pages-shared",
            "OPTIONS": {"MAX_ENTRIES": 2_000},
        }
    ),
}
RATELIMIT_ENABLE = env_bool("GONGKAI_RATELIMIT", True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("GONGKAI_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# REST API (gongkai.api, docs/api.md): API tokens only (no session, no CSRF surface), the
# back office's permissions, JSON in and out, errors in Chinese.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["gongkai.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["gongkai.api.permissions.StaffCodenames"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "gongkai.api.throttling.TokenRateThrottle",
        "gongkai.api.throttling.AddressRateThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "gongkai.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gongkai 数据接口",
    "DESCRIPTION": "依申请公开、年度报告和主动公开信息的读写接口。说明见 docs/api.md。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "gongkai.ledger.requests.models.application.STATUS_CHOICES",
        "ApplicationStatusFilterEnum": "gongkai.api.serializers.STATUS_FILTER_CHOICES",
        "AnnualReportStatusEnum": "gongkai.ledger.annual.models.AnnualReportRecord.Status",
        "FeeMethodEnum": "gongkai.ledger.requests.models.application.FEE_METHOD_CHOICES",
        "FeeNoticeMethodEnum": "gongkai.api.serializers.FEE_METHOD_INPUT_CHOICES",
        "ServiceMethodEnum": "gongkai.ledger.requests.models.application.SERVICE_METHOD_CHOICES",
    },
}
# Lifetime of a new API token in days (1-365), and the request rates (DRF syntax "N/min").
GONGKAI_API_TOKEN_DAYS = int(os.environ.get("GONGKAI_API_TOKEN_DAYS", "90"))
GONGKAI_API_RATE_USER = os.environ.get("GONGKAI_API_RATE_USER", "600/min")
GONGKAI_API_RATE_ANON = os.environ.get("GONGKAI_API_RATE_ANON", "60/min")
# Applications closed more than this many years ago are anonymised by the
# ``anonymise_closed_cases`` job (statistics unchanged; docs/security.md).
GONGKAI_RETENTION_YEARS = int(os.environ.get("GONGKAI_RETENTION_YEARS", "5"))

# The platform: one installation, many agencies (集约化).
GONGKAI_PLATFORM_NAME = os.environ.get("GONGKAI_PLATFORM_NAME", "政务公开云平台")
# Training / test environments may move time: an ISO date, e.g. 2025-01-15 (see gongkai.core.clock).
GONGKAI_FROZEN_TODAY = os.environ.get("GONGKAI_FROZEN_TODAY", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # ID numbers and mobile numbers are masked in every log line.
    "filters": {"personal_data": {"()": "gongkai.core.security.log_filters.PersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "WARNING")},
}
