"""Settings shared by every environment; `dev`, `test` and `production` only override."""

import datetime
import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-sanxiang-portal-key-change-me-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Origins trusted for CSRF when the portal sits behind a TLS-terminating proxy.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "accounts.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "django_tasks_db",
    "accounts",
    "villages",
    "candidates",
    "mentoring",
    "reports",
    "jobs",  # after django_tasks_db: its admin takes the queue's pages away (jobs/admin.py)
]

MIDDLEWARE = [
    # First: every log line of a request, its error included, names the request (config.request_id).
    "config.request_id.RequestIdMiddleware",
    # A database that is away answers 503 "try again later", not the 500 page (config.database_errors).
    "config.database_errors.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RefuseNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrimaryAfterWriteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.DomainErrorsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.portal",
            ],
        },
    },
]

# DATABASE_URL names the database; unset, an embedded SQLite file beside manage.py.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# DATABASE_REPLICA_URL: a streaming replica of it, read by the dashboard, summary.json and the exports
# (config.db_router); the test suite reads the primary's test database in its place.
if _replica_url := env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url_config(_replica_url) | {"TEST": {"MIRROR": "default"}}
    if {DATABASES["default"]["ENGINE"], DATABASES["replica"]["ENGINE"]} != {"django.db.backends.postgresql"}:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must name a PostgreSQL replica of DATABASE_URL.")
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
# Seconds a user who wrote something reads every page from the primary, not the replica.
REPLICA_STICKY_SECONDS = env.int("REPLICA_STICKY_SECONDS", default=30)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # DATABASE_POOL: psycopg 3's connection pool inside each web process (off for pgbouncer setups).
    for _database in DATABASES.values():
        if env.bool("DATABASE_POOL", default=False):
            _database.setdefault("OPTIONS", {})["pool"] = True
        else:
            _database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
            _database["CONN_HEALTH_CHECKS"] = True
        # PG_SESSION_OPTIONS: planner settings for the portal's short queries, on each connection.
        # random_page_cost=1.1: PostgreSQL's default (4) prices a spinning disk; with the data in memory
        # or on SSD, 1.1 lets it read a county's candidates by their village and sort them (2 ms) rather
        # than walk the whole name index (35 ms). jit=off: the JIT compiled the export's query for 2 s to
        # then read 2,000 rows in 20 ms (BENCHMARKS.md). Empty leaves the server's settings alone
        # (pgbouncer refuses startup options).
        if _session := env("PG_SESSION_OPTIONS", default="-c random_page_cost=1.1 -c jit=off"):
            _options = _database.setdefault("OPTIONS", {})
            _options["options"] = f"{_options.get('options', '')} {_session}".strip()
else:
    # Several users writing at once on the embedded database wait for each other instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

# An index's INCLUDE columns (candidate_by_name) exist on PostgreSQL only; SQLite builds the index
# without them, which is what the list needs there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes counts failed logins in the database (shared by every process and machine) and locks a
# user name at an address after LOGIN_FAILURE_LIMIT failures for LOGIN_LOCK_MINUTES; every login
# page, the admin's included, goes through its backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.PortalBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCK_MINUTES", default=15))
# The name and the address together: a township office shares one address, and one clerk's typos
# must not lock their colleagues out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.forms.login_username"
AXES_CLIENT_IP_CALLABLE = "config.network.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# The locked-out list is in the portal's own admin, for administrators only (accounts/admin.py).
AXES_ENABLE_ADMIN = False

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, e.g. 127.0.0.1,10.0.0.0/8):
# throttles key on the client's address, not the proxy's.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a wrong value stops the process here

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# CACHE_URL: the cache of the objection throttle; shared (redis://) whenever more than one process runs.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# History versions are shown as text, never as a form to save (accounts.admin_site.ReadOnlyHistoryAdmin).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Sessions are read from the cache (shared by every process in production) and kept in the database
# too: a page reads no session row from the database (BENCHMARKS.md).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# Rows per page on list pages, and the most a `per_page` parameter may ask for.
PAGE_SIZE = env.int("PAGE_SIZE", default=50)
MAX_PAGE_SIZE = env.int("MAX_PAGE_SIZE", default=200)

# Demo users' password; the demo refuses to run with DEBUG off unless forced.
DEMO_PASSWORD = "fushun-demo"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Each line names its request (config.request_id): the reference a 500 page shows its user.
    "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
    "formatters": {
        "portal": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "portal"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes says each failed login (WARNING); its INFO lines repeat every login and logout.
    # WeasyPrint and fontTools say each font they subset (INFO): noise beside every PDF.
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Certification (DESIGN §5): target days per step, after which an item shows as overdue.
CERTIFICATION_STEP_TARGET_DAYS = {1: 7, 2: 10, 3: 15, 4: 15, 5: 10, 6: 14, 7: 7}
# Working days a public notice runs.
NOTICE_WORKING_DAYS = env.int("NOTICE_WORKING_DAYS", default=5)
# Share of votes for the person needed in the village's democratic evaluation (step 3).
DEMOCRATIC_EVALUATION_MIN_SHARE = 0.8
# Largest spreadsheet the import accepts, in bytes.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
# Most rows of people one import takes; reading stops past it.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=10_000)
# Most rows an Excel export of a list writes while the user waits; past it, narrow the filters.
EXPORT_MAX_ROWS = env.int("EXPORT_MAX_ROWS", default=20_000)
# Background jobs (DESIGN §10): Django's Tasks API on a queue kept in the database, run by as many
# `manage.py db_worker` processes as needed (README, "Background jobs").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Most registration forms one print job puts in its zip of PDFs (about 70 KB and a second each, and the
# zip is kept in the database); past it, narrow the filters.
REGISTRATION_FORMS_MAX = env.int("REGISTRATION_FORMS_MAX", default=1_000)
# Objections one address may file on the public notice page per hour.
OBJECTIONS_PER_HOUR = env.int("OBJECTIONS_PER_HOUR", default=5)
# Mentoring (DESIGN §6): a candidate without a visit for this many months is flagged; an assessment
# of a quarter (or year) is due when it ends and overdue this many days later.
VISIT_INTERVAL_MONTHS = env.int("VISIT_INTERVAL_MONTHS", default=3)
ASSESSMENT_DUE_DAYS = env.int("ASSESSMENT_DUE_DAYS", default=30)
# A Party member becomes a member wealth-creator with a household income above the village's
# per-capita income times this factor (or with a business or a cooperative).
PROMOTION_INCOME_FACTOR = env.float("PROMOTION_INCOME_FACTOR", default=3.0)
