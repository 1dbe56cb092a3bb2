"""WSGI entry point (gunicorn gongkai.config.wsgi)."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")

try:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
except ImproperlyConfigured:  # one line for the operator, not a traceback
    raise SystemExit(2) from None
