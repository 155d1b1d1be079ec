"""The site's settings as the benchmark's gunicorn serves it.

Only two differences: static files are served from BENCH_STATIC_ROOT (where the bench
writes its floor files, the same sizes as the responses it measures), without the
collectstatic manifest that pages would otherwise need.
"""

import os

from tracker.settings import *  # noqa: F403 - the real settings, two overrides

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
