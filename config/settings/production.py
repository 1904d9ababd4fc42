"""Production: PostgreSQL behind a reverse proxy. Fails fast when a required variable is missing."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, STORAGES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: a missing key stops the process
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host names the portal answers to.")
if "DATABASE_URL" not in env:
    raise ImproperlyConfigured("DATABASE_URL must name the production PostgreSQL database.")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Production runs on PostgreSQL; DATABASE_URL must start with postgres://.")

# Throttles (objections per address) count in the cache: every process must see the same counts.
SHARED_CACHES = {
    "django.core.cache.backends.redis.RedisCache",
    "django_redis.cache.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
    "django.core.cache.backends.db.DatabaseCache",
}
if CACHES["default"]["BACKEND"] not in SHARED_CACHES:
    raise ImproperlyConfigured(
        "CACHE_URL must name a cache shared by every web process (redis://host:6379/1); "
        "a per-process cache lets each process count throttled requests on its own."
    )

# The proxy terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Health checks from the proxy come over plain HTTP on the internal network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload flag only matters once the domain is submitted to the browsers' list; intranets never are.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)

# Hashed, compressed static files, collected by `manage.py collectstatic` at deploy time.
STORAGES = STORAGES | {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
