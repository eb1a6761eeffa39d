"""Django settings for congso.

Everything that differs between the embedded default (SQLite, local files, no
server) and province scale (PostgreSQL, Redis, several processes) is read from
environment variables through congso.env; see README.md "Production mode".
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import dj_database_url

from congso.env import (
    ImproperEnvironment,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_optional,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CONGSO_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("CONGSO_TESTING", "pytest" in sys.modules)
_DEV_SECRET = "congso-dev-only-secret-key-never-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET)
PRODUCTION = env_bool("CONGSO_PRODUCTION", False)
if PRODUCTION and SECRET_KEY == _DEV_SECRET:
    raise ImproperEnvironment("SECRET_KEY must be set when CONGSO_PRODUCTION=true")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "congso",
    "accounts",
    "agencies",
    "workcalendar",
    "catalog",
    "signing",
    "dossiers",
    "datastore",
    "payments",
    "sandbox_gateway",
    "jobs",
    "notifications",
    "directives",
    "indicators",
    "portal",
    "backoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "congso.middleware.PageMessageMiddleware",  # Django's, skipped for the API
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "congso.urls"
WSGI_APPLICATION = "congso.wsgi.application"

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
                "congso.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# DATABASE_URL chooses the engine: unset means the embedded SQLite file.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'congso.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the threaded server read while one request writes; a busy
    # timeout turns "database is locked" into a short wait.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if IS_POSTGRES:
    # No JIT compilation: it cost seconds per query on the indicators' aggregates (bench/).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

# --- Cache ----------------------------------------------------------------------
REDIS_URL = env_optional("REDIS_URL")
_XDIST_WORKER = env_str("PYTEST_XDIST_WORKER", "")
if TESTING and REDIS_URL and _XDIST_WORKER.startswith("gw"):
    # Parallel test workers must not flush each other's cache: each takes its own database,
    # two apart, so the Celery tests' broker (the next database) is never another's cache.
    _base, _, _db = REDIS_URL.rpartition("/")
    if _db.isdigit():
        REDIS_URL = f"{_base}/{(int(_db) - 2 * int(_XDIST_WORKER[2:])) % 16}"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "congso"),
        }
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Lifetime of a bearer token issued by POST /api/v1/auth/token/.
API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 12, minimum=1)

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Language and time ----------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's "vi" locale has no input formats: without these, 04/06/2025 would be read as 6 April.
FORMAT_MODULE_PATH = "congso.formats"

# --- Files ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Chart.js for the operations centre, pinned by package-lock.json, served by congso itself (no CDN).
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- REST API ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.BearerTokenAuthentication",
        "accounts.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "congso.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env_str("API_AUTH_THROTTLE", "20/min"),
        "dossier_lookup": env_str("API_LOOKUP_THROTTLE", "60/min"),
    },
    "EXCEPTION_HANDLER": "congso.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "congso API",
    "DESCRIPTION": (
        "Open API of congso, the provincial digital-government platform: "
        "procedure catalogue, administrative tree, working-day calendar. "
        "Authenticate with a browser session, a bearer token from "
        "POST /api/v1/auth/token/, or an integration client's API key "
        "(header `X-Api-Key`). Error messages are in Vietnamese."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets shared by several fields get one explicit name each (no hashed names).
    "ENUM_NAME_OVERRIDES": {
        "DirectiveKindEnum": "directives.models.Directive.Kind",
        "TaskStatusEnum": "directives.models.Status",
    },
}

# --- The province -------------------------------------------------------------------
# The GSO code of the province this installation serves (vietnam-provinces data,
# 2025 two-tier divisions). Demo: 20 = Lạng Sơn.
CONGSO_PROVINCE_GSO_CODE = env_int("CONGSO_PROVINCE_GSO_CODE", 20, minimum=1)
# The public address of the portal, printed in QR codes and links in e-mails
# (e.g. https://dichvucong.langson.gov.vn). Empty: relative links only.
CONGSO_PUBLIC_URL = env_str("CONGSO_PUBLIC_URL", "http://127.0.0.1:8000")
CONGSO_SITE_NAME = env_str("CONGSO_SITE_NAME", "Cổng dịch vụ công tỉnh Lạng Sơn")

# --- Background jobs (congso/jobs.py) -----------------------------------------------------------
# embedded: a database queue run by `manage.py run_worker` (no server needed); inline: at commit, in
# the same process (tests); celery: through CELERY_BROKER_URL (Redis or RabbitMQ) with beat.
CELERY_BROKER_URL = env_optional("CELERY_BROKER_URL")
JOBS_BACKEND = env_str(
    "JOBS_BACKEND", "celery" if CELERY_BROKER_URL else ("inline" if TESTING else "embedded")
)
if JOBS_BACKEND not in {"embedded", "inline", "celery"}:
    raise ImproperEnvironment(f"JOBS_BACKEND must be embedded, inline or celery, got {JOBS_BACKEND!r}")
if JOBS_BACKEND == "celery" and not CELERY_BROKER_URL:
    raise ImproperEnvironment("JOBS_BACKEND=celery needs CELERY_BROKER_URL")
JOBS_CELERY_QUEUE = env_str("JOBS_CELERY_QUEUE", "congso")
JOBS_POLL_SECONDS = env_float("JOBS_POLL_SECONDS", 2.0)
JOBS_TICK_SECONDS = env_int("JOBS_TICK_SECONDS", 60, minimum=1)
JOBS_KEEP_DAYS = env_int("JOBS_KEEP_DAYS", 14, minimum=1)

# --- E-mail and SMS (notifications) --------------------------------------------------------------
_SMTP_HOST = env_optional("EMAIL_HOST")  # unset: mail is written to var/mail/
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if _SMTP_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = _SMTP_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 587 if env_bool("EMAIL_USE_TLS", False) else 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")  # must be ASCII (smtplib)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{CONGSO_SITE_NAME} <khongtraloi@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env_str("SMS_BACKEND", "notifications.sms.logging.LoggingSmsBackend")
# Staff reminders: warn this many working hours before a step or dossier falls due.
CONGSO_REMINDER_WORKING_HOURS = [Decimal(v) for v in env_list("CONGSO_REMINDER_WORKING_HOURS", ["8"])]
CONGSO_REMINDER_EVERY_MINUTES = env_int("CONGSO_REMINDER_EVERY_MINUTES", 15, minimum=1)
CONGSO_OVERDUE_DIGEST_AT = env_str("CONGSO_OVERDUE_DIGEST_AT", "07:30")
CONGSO_REMINDER_SMS = env_bool("CONGSO_REMINDER_SMS", False)

# --- Payments (tthc-requirements §6; payments/conf.py documents each) ---------------------------
# "vnpay" speaks the VNPay-style protocol; "off" hides online payment (counter payments stay).
PAYMENT_GATEWAY = env_str("PAYMENT_GATEWAY", "off" if PRODUCTION else "vnpay")
VNPAY_TMN_CODE = env_str("VNPAY_TMN_CODE", "" if PRODUCTION else "CONGSO01")
VNPAY_HASH_SECRET = env_str("VNPAY_HASH_SECRET", "" if PRODUCTION else "congso-sandbox-secret")
VNPAY_PAYMENT_URL = env_str(
    "VNPAY_PAYMENT_URL", "" if PRODUCTION else f"{CONGSO_PUBLIC_URL}/sandbox-gateway/paymentv2/vpcpay.html"
)
VNPAY_RETURN_URL = env_str(
    "VNPAY_RETURN_URL", "" if PRODUCTION else f"{CONGSO_PUBLIC_URL}/thanh-toan/ket-qua/"
)
VNPAY_IPN_URL = env_str("VNPAY_IPN_URL", "" if PRODUCTION else f"{CONGSO_PUBLIC_URL}/thanh-toan/ipn/")
# The local bank that plays VNPay for `make run`; refused when CONGSO_PRODUCTION=true.
SANDBOX_GATEWAY_ENABLED = env_bool("SANDBOX_GATEWAY_ENABLED", not PRODUCTION)
if PRODUCTION and SANDBOX_GATEWAY_ENABLED:
    raise ImproperEnvironment("SANDBOX_GATEWAY_ENABLED cannot be true when CONGSO_PRODUCTION=true")
# E-receipt number "BL-2026-000123"; pending online payments older than this are reported.
PAYMENT_RECEIPT_PREFIX = env_str("PAYMENT_RECEIPT_PREFIX", "BL")
PAYMENT_PENDING_STALE_MINUTES = env_int("PAYMENT_PENDING_STALE_MINUTES", 60, minimum=1)

# --- Digital signatures (signing) -------------------------------------------------------------
# Key files of the file-based key store (PKCS#12, one per certificate), protected by
# SIGNING_KEY_PASSPHRASE (set it in production). RFC 3161 TSA: empty = no timestamp token.
SIGNING_KEY_DIR = Path(env_str("SIGNING_KEY_DIR", str(VAR_DIR / "keys")))
SIGNING_KEY_PASSPHRASE = env_optional("SIGNING_KEY_PASSPHRASE")
SIGNING_TSA_URL = env_optional("SIGNING_TSA_URL")
SIGNING_PKCS11_PIN = env_optional("SIGNING_PKCS11_PIN")
# Sign slips and e-receipts when rendered (issuing officer + agency; agency alone for system-issued).
SIGNING_SIGN_SLIPS = env_bool("SIGNING_SIGN_SLIPS", True)
# A result may be returned only once every result file is digitally signed.
DOSSIERS_REQUIRE_SIGNED_RESULT = env_bool("DOSSIERS_REQUIRE_SIGNED_RESULT", False)

# --- Indicators: how often the daily dossier facts are brought up to date, and the nightly rebuild --
INDICATORS_FACTS_EVERY_SECONDS = env_int("INDICATORS_FACTS_EVERY_SECONDS", 60, minimum=5)
INDICATORS_FACTS_RECONCILE_AT = env_str("INDICATORS_FACTS_RECONCILE_AT", "02:30")

# --- Digitisation: OCR of scanned documents (Tesseract, Debian tesseract-ocr-vie) ----------------
DATASTORE_TESSERACT_CMD = env_str("DATASTORE_TESSERACT_CMD", "tesseract")
DATASTORE_OCR_LANGUAGES = env_str("DATASTORE_OCR_LANGUAGES", "vie")
DATASTORE_PDFTOPPM_CMD = env_str("DATASTORE_PDFTOPPM_CMD", "pdftoppm")
DATASTORE_OCR_DPI = env_int("DATASTORE_OCR_DPI", 300, minimum=72)
DATASTORE_OCR_MAX_PAGES = env_int("DATASTORE_OCR_MAX_PAGES", 30, minimum=1)
DATASTORE_OCR_TIMEOUT_SECONDS = env_int("DATASTORE_OCR_TIMEOUT_SECONDS", 120, minimum=1)

# --- Logging -------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
