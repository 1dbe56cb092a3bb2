"""WSGI entry point (gunicorn gongkai.config.wsgi)."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")

try:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
except ImproperlyConfigured as exc:  # one line for the operator, not a traceback
    print(f"gongkai 配置错误：{exc}", file=sys.stderr)
    raise SystemExit(2) from None
