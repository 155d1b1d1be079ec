"""`python -m tracker.healthcheck`: the checks of /healthz without HTTP, for the
worker's container (it serves no HTTP). Prints the JSON; exit status 0 if healthy."""

import json
import os
import sys

import django


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    django.setup()
    from common import health
    from tracker.health import CHECKS

    healthy, results = health.run(CHECKS)
    print(json.dumps({"status": "ok" if healthy else "unhealthy", "checks": results}))
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
