"""FirstCall settings, read from the environment.

Every value a deployment changes comes from an environment variable; the defaults give the embedded
set-up (SQLite under var/, zh-hans, Asia/Shanghai).
"""

import ipaddress
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from firstcall.settings_paths import var_dir

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = var_dir()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("FIRSTCALL_TESTING", False)

_INSECURE_DEFAULT_KEY = "insecure-firstcall-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment; the built-in key is only for DEBUG."
        )
    SECRET_KEY = _INSECURE_DEFAULT_KEY
elif SECRET_KEY == _INSECURE_DEFAULT_KEY and not DEBUG:
    raise ImproperlyConfigured("The built-in development SECRET_KEY may only be used with DEBUG.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "firstcall.core",
    "firstcall.orgs",
    "firstcall.accounts",
    "firstcall.integrations",
    "firstcall.taxonomy",
    "firstcall.rules",
    "firstcall.tickets",
    "firstcall.sla",
    "firstcall.workflows",
    "firstcall.customers",
    "firstcall.navigation",
    "firstcall.web",
]

# Django's middleware as subclasses that run on the event loop in async mode (middleware_inline).
MIDDLEWARE = [
    "firstcall.core.middleware_inline.SecurityMiddleware",
    "firstcall.web.middleware.ContentSecurityPolicyMiddleware",
    "firstcall.core.middleware.StaticFilesMiddleware",
    "firstcall.core.middleware.RequestIdMiddleware",
    "firstcall.core.middleware.InputGuardMiddleware",
    "firstcall.core.middleware_inline.SessionMiddleware",
    "firstcall.accounts.language.LanguageMiddleware",  # zh-hans unless the user chose
    "firstcall.core.middleware_inline.CommonMiddleware",
    "firstcall.core.middleware_inline.CsrfViewMiddleware",
    "firstcall.core.middleware_inline.AuthenticationMiddleware",
    "firstcall.core.middleware_inline.MessageMiddleware",
    "firstcall.core.middleware_inline.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "firstcall.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "firstcall.urls"
ASGI_APPLICATION = "firstcall.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Database: SQLite in WAL mode under var/ unless DATABASE_URL names another.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'firstcall.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
# Connections are kept, not opened per request: under ASGI each request's synchronous work runs
# on a thread of its own, so a per-thread persistent connection (CONN_MAX_AGE) would die with the
# thread. A connection Django closes at the end of a request goes back to a pool instead.
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend with a per-process pool of open connections: the pragmas and SQL
    # functions are set once per connection, not once per request (core/sqlite/base.py).
    _db["ENGINE"] = "firstcall.core.sqlite"
    _db["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        # Writers queue: a transaction begins by taking the write lock (IMMEDIATE, so it never
        # fails half-way on an upgrade), and one that finds it taken waits up to this many
        # seconds (SQLite's busy timeout) instead of failing with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("FIRSTCALL_SQLITE_TIMEOUT", "20")),
    }
    # Tests use a file (WAL, busy timeout) rather than shared-cache memory: the agent screen's
    # panels write from several threads at once, which a shared in-memory database refuses.
    _test_file = Path(tempfile.gettempdir()) / f"firstcall-test-{os.getpid()}.sqlite3"
    _db["TEST"] = {"NAME": os.environ.get("FIRSTCALL_TEST_SQLITE") or str(_test_file)}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # Django's psycopg pool: a request takes an open connection and gives it back when it ends.
    _db["OPTIONS"] = {
        **_db.get("OPTIONS", {}),
        "pool": {
            "min_size": int(os.environ.get("FIRSTCALL_DB_POOL_MIN", "2")),
            "max_size": int(os.environ.get("FIRSTCALL_DB_POOL_MAX", "20")),
            "timeout": float(os.environ.get("FIRSTCALL_DB_POOL_TIMEOUT", "20")),
        },
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed-login throttling: this many failures within the window locks the username and the address.
# How long back-end answers are kept for one service number: about the length of a call.
FIRSTCALL_CALL_CACHE_SECONDS = int(os.environ.get("FIRSTCALL_CALL_CACHE_SECONDS", "600"))
LOGIN_FAILURE_LIMIT = int(os.environ.get("FIRSTCALL_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("FIRSTCALL_LOGIN_FAILURE_WINDOW", "900"))

# Sessions and cookies.
SECURE_COOKIES = env_bool("FIRSTCALL_SECURE_COOKIES", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Pages carry the CSRF token (forms; `hx-headers` on <body> for htmx): no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("FIRSTCALL_SESSION_SECONDS", str(12 * 3600)))
SESSION_COOKIE_NAME = "firstcall_session"
CSRF_COOKIE_NAME = "firstcall_csrftoken"
LANGUAGE_COOKIE_NAME = "firstcall_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE_COOKIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS is sent on HTTPS responses only, and only when asked for: a browser that has seen it
# refuses plain HTTP to the host for that long.
SECURE_HSTS_SECONDS = int(os.environ.get("FIRSTCALL_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("FIRSTCALL_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("FIRSTCALL_HSTS_PRELOAD", False)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured("FIRSTCALL_HSTS_SECONDS must be 0 (off) or a number of seconds.")

# Content-Security-Policy on every response. Scripts only from our own static files or with the
# request's nonce (no eval: Alpine's CSP build, htmx with allowEval off); inline styles are allowed
# because bpmn-js and htmx inject <style> and set style attributes.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR blocks); see core/net.py.
FIRSTCALL_TRUSTED_PROXIES = env_list("FIRSTCALL_TRUSTED_PROXIES", "")
for _proxy in FIRSTCALL_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(
            f"FIRSTCALL_TRUSTED_PROXIES: {_proxy!r} is not an IP address or CIDR block"
        ) from _exc

# Language and time.
LANGUAGE_CODE = os.environ.get("FIRSTCALL_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("FIRSTCALL_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask": {"()": "firstcall.core.logging.MaskCustomerDataFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("FIRSTCALL_LOG_LEVEL", "INFO")},
}

# Background work: one queue in the database, run by `firstcall worker` (docs/background.md).
# Tests run a task where it is enqueued; the worker's tests use the "database" backend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TESTING:
    TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }

NINJA_PAGINATION_PER_PAGE = 50
FIRSTCALL_BRAND = _("FirstCall")

AUTHENTICATION_BACKENDS = ["firstcall.accounts.backends.RoleBackend"]
# One transaction per request: a view either completes all its writes or none.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
