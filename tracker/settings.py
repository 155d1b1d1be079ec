"""Treaty Tracker settings: one file, configured only by environment variables.

With nothing set the site runs on SQLite with Celery tasks executed in-process after
commit; DATABASE_URL, REDIS_URL and CELERY_BROKER_URL switch to the real services.
Every variable is listed in .env.example and in the README.
"""

import os
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from tracker.env import (
    env_bool,
    env_database,
    env_email_url,
    env_float,
    env_int,
    env_list,
    env_redis_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)
# The embedded default (no DATABASE_URL) is a newcomer's laptop: it may run without a
# secret key. Anything pointed at a real database must bring its own.
EMBEDDED = not env_str("DATABASE_URL")
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or EMBEDDED):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DATABASE_URL is (unless DJANGO_DEBUG)."
        )
    # Not a secret, and check --deploy rejects it (security.W009).
    SECRET_KEY = "django-insecure-development-only-key-do-not-deploy-" + "x" * 20

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "provisions",
    "states",
    "pages",
    "desk",
    "demo",
    "follow",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id and user.
    "common.logging.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers compressed for clients that accept it (static files are
    # WhiteNoise's, above; the matrix brings its own stored gzip copy).
    "django.middleware.gzip.GZipMiddleware",
    # Before anything that queries: every statement of a request is time-limited.
    "common.timeouts.StatementTimeoutMiddleware",
    # Before URL resolution and APPEND_SLASH: /actors/RUS.json is the actor page's
    # data twin (pages.twins).
    "pages.twins.TwinMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "pages.middleware.friendly_not_found",
]

ROOT_URLCONF = "tracker.urls"
# A record's public page (templates, feeds, the admin's "View on site"). The pages app
# names these URLs, so the project wires them here rather than each model reversing
# names that another app defines.
ABSOLUTE_URL_OVERRIDES = {
    "provisions.treaty": lambda treaty: reverse(
        "treaty-matrix", kwargs={"treaty": treaty.slug}
    ),
    "provisions.session": lambda session: reverse(
        "session-detail",
        kwargs={"treaty": session.treaty.slug, "number": session.number},
    ),
    "provisions.provision": lambda provision: reverse(
        "provision-detail",
        kwargs={"treaty": provision.treaty.slug, "slug": provision.slug},
    ),
    "states.actor": lambda actor: reverse("actor-detail", kwargs={"code": actor.code}),
}
WSGI_APPLICATION = "tracker.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Django 6 behaviour now: a scheme-less URL typed in a form means https.
FORMS_URLFIELD_ASSUME_HTTPS = True
IS_POSTGRESQL = DATABASES["default"]["ENGINE"].endswith("postgresql")
if IS_POSTGRESQL:
    # A request reuses its process's connection (for up to a minute) instead of
    # opening one: a PostgreSQL connection is a forked backend and a login, 4-10 ms
    # on an idle server and several times that on a loaded one, paid on every read
    # and twice per statement published through the API. Checked before reuse, so a
    # restarted server costs a new connection, not an error.
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Web processes (those started through tracker/wsgi.py, which sets
# TRACKER_WEB_PROCESS): PostgreSQL cancels a statement running longer than this and
# the request is answered 503 with Retry-After (common.timeouts). 0 turns it off.
# Celery workers and management commands are not limited. Keep it below gunicorn's
# worker timeout (30 s).
WEB_STATEMENT_TIMEOUT_MS = int(env_float("WEB_STATEMENT_TIMEOUT_MS", 10000))
if IS_POSTGRESQL and WEB_STATEMENT_TIMEOUT_MS and os.environ.get("TRACKER_WEB_PROCESS"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={WEB_STATEMENT_TIMEOUT_MS}"
    )

REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    # Only what may be lost lives in the cache (the API's throttle counters, and what
    # pages recompute when it is missing: the home page's counts, who moved and the
    # agreement scores of a build): a Redis outage turns reads into misses and skips
    # writes (logged) instead of failing requests, and a Redis that hangs costs at
    # most a short socket timeout.
    CACHES = {
        "default": {
            "BACKEND": "common.cache.DegradingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tt",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "outage_backoff": env_float("CACHE_OUTAGE_BACKOFF_SECONDS", 5.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: without a broker, tasks run in-process (still only after commit, because
# every caller schedules them with transaction.on_commit).
CELERY_BROKER_URL = env_redis_url("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A save must not hang when the broker is down: give up publishing quickly and let the
# periodic sweep rebuild whatever is still stale.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
# A message a worker took and never acknowledged (the worker was killed, the machine
# lost) goes back to the queue once it has been unacknowledged this long: longer
# than the longest build (rebuild_matrix's hard time_limit, 300 s, plus a margin) so
# a build still running is not handed to a second worker, and far below kombu's
# default hour. Workers look for such messages every 10 s (and when they start).
CELERY_VISIBILITY_TIMEOUT_SECONDS = env_float("CELERY_VISIBILITY_TIMEOUT_SECONDS", 360)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT_SECONDS,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# /healthz (tracker.health): a matrix stale for longer than this is unhealthy.
HEALTH_MATRIX_STALE_MINUTES = env_float("HEALTH_MATRIX_STALE_MINUTES", 15.0)
# The sweep that makes stale matrices fresh without anyone acting (e.g. after the
# broker was down when a change was saved). MATRIX_SWEEP_SECONDS: how often.
MATRIX_SWEEP_SECONDS = env_float("MATRIX_SWEEP_SECONDS", 60.0)
CELERY_BEAT_SCHEDULE = {
    "rebuild-stale-matrices": {
        "task": "states.rebuild_stale_matrices",
        "schedule": MATRIX_SWEEP_SECONDS,
    },
    # Besides the build after every matrix rebuild: catches edits that move no cell
    # (a quote, a provision's text) and a build lost with a worker.
    "build-downloads-nightly": {
        "task": "states.build_downloads",
        "schedule": crontab(hour=3, minute=15),
    },
    # Digests are also sent after each rebuild (follow.receivers); this sends those a
    # rebuild left waiting for the daily limit.
    "send-follow-digests": {"task": "follow.send_digests", "schedule": 3600.0},
}

# The complete downloads of /data/ (states.dump): a directory the web processes read
# and the Celery workers write; shared between them when they run apart.
DOWNLOADS_ROOT = Path(env_str("DOWNLOADS_ROOT", str(BASE_DIR / "downloads")))

# Mail: the alerts of the follow app. EMAIL_URL, or EMAIL_HOST and its companions, send
# through SMTP; with neither, DEBUG and the embedded default print mail on the console.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=bool(EMAIL_HOST))
EMAIL_USE_SSL = False
EMAIL_TIMEOUT = 20
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends."
    + ("smtp" if EMAIL_HOST or not (DEBUG or EMBEDDED) else "console")
    + ".EmailBackend",
)
globals().update(env_email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Treaty Tracker <alerts@localhost>")
# The site's public address, for the links in e-mails (which have no request).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Follow form and correction reports: attempts per address and per IP per hour.
FOLLOW_RATE_PER_HOUR = env_int("FOLLOW_RATE_PER_HOUR", 5)
# A follower gets at most one digest in this many hours.
FOLLOW_DIGEST_MIN_HOURS = env_float("FOLLOW_DIGEST_MIN_HOURS", 24.0)
# Confirmation links expire after this many hours.
FOLLOW_CONFIRM_HOURS = env_float("FOLLOW_CONFIRM_HOURS", 72.0)

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:home"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "states.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "common.api.Pagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    # JSON bodies only: one documented request format, one to validate, within the
    # limits of common.api.JSONParser (size, nesting, finite numbers).
    "DEFAULT_PARSER_CLASSES": ["common.api.JSONParser"],
    # Reads are generous (anonymous per IP, authenticated per user); writes have their
    # own, lower per-user budget. The cache (Redis in production) holds the counters.
    "DEFAULT_THROTTLE_CLASSES": [
        "common.api.AnonRateThrottle",
        "common.api.UserRateThrottle",
        "common.api.WriteRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "3000/hour"),
        "user": env_str("API_USER_RATE", "20000/hour"),
        "writes": env_str("API_WRITE_RATE", "600/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Treaty Tracker API",
    "DESCRIPTION": (
        "Who supports what in a treaty negotiation, as JSON or CSV (`?format=csv` on "
        "every list). Reads are public; writes need `Authorization: Token <key>` and "
        "the matching permission. Detail responses carry an `ETag`; send it back as "
        "`If-Match` to write only if nothing changed meanwhile (412 otherwise).\n\n"
        "[← Back to the Treaty Tracker site](/)"
    ),
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SessionStatusEnum": "provisions.models.Session.Status",
        "PublicationStatusEnum": "states.models.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api.postprocess_schema",
    ],
}

# Production hardening: on whenever DEBUG is off; check --deploy is clean then.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Health checks speak plain HTTP to the container (docker-compose healthchecks).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Security defaults (README "Security"). Kept together: hostile clients, not features.
# The client address: REMOTE_ADDR unless DJANGO_NUM_PROXIES reverse proxies we trust
# append to X-Forwarded-For (then the address that many hops from the right). With 0
# the header is ignored, so a client cannot pick its own throttle or lockout key.
NUM_PROXIES = env_int("DJANGO_NUM_PROXIES", 0)
REST_FRAMEWORK["NUM_PROXIES"] = NUM_PROXIES
# Request bodies: Django refuses larger form bodies, common.api.JSONParser larger JSON
# (413), before either is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_MAX_BODY_BYTES", 1024 * 1024)
# Brute force: five failed sign-ins for one account, or from one address, lock that
# account or address out of every login for the cool-off (django-axes).
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "common.security.client_address"
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
# Content-Security-Policy (django-csp): our own scripts and styles only, no inline
# script or style attribute, never framed. The API docs relax styles for their page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Powerful browser features the site never uses, off for it and anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
MIDDLEWARE += [
    "csp.middleware.CSPMiddleware",
    "common.security.PermissionsPolicyMiddleware",
    # After the two above, so its 404 carries their headers.
    "common.security.NotFoundForNulInPathMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the backend into a page.
    "axes.middleware.AxesMiddleware",
]

# One JSON object a line on stderr (time, level, logger, message, request_id, user;
# common.logging), for web processes and Celery workers alike. LOG_FORMAT=text: the
# plain lines of a terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "common.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
# Celery workers log through LOGGING too (not Celery's own root handler).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
