import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
# A web server's process: its database connections carry WEB_STATEMENT_TIMEOUT_MS
# (tracker/settings.py); workers and commands never load this module.
os.environ["TRACKER_WEB_PROCESS"] = "1"

application = get_wsgi_application()
