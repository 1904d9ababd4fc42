"""The WSGI application of the bench's gunicorn (bench.settings: production plus /bench/hello/)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
application = get_wsgi_application()
