"""Set-up of `make bench`: its database, the UN-scale data set, the demo beside it.

Runs in a dedicated database (`tt_bench`, or BENCH_DATABASE) on the server of
DATABASE_URL, creating and migrating it when needed, and generates the UN-scale data
set (demo.synthetic) unless it is already there with the same seed; the demo treaty is
loaded beside it when missing.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]
TREATY = os.environ.get("BENCH_TREATY", "synthetic-un")
SEED = int(os.environ.get("BENCH_SEED", "20221"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
READ_RUNS = int(os.environ.get("BENCH_READ_RUNS", "10"))
TITLE = "Benchmark statement"


# Set-up -----------------------------------------------------------------------------


def configure():
    """Point Django at the benchmark database (created if missing) and set it up."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        print(
            "make bench needs PostgreSQL: set DATABASE_URL=postgres://user@host/db "
            "(bin/services-env sets it when PostgreSQL answers on 127.0.0.1:5432). "
            f"DATABASE_URL is {url or 'unset'}.",
            file=sys.stderr,
        )
        sys.exit(1)
    name = os.environ.get("BENCH_DATABASE", "tt_bench")
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
    # Tasks of this process run in-process: no worker elsewhere builds concurrently.
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    _create_database(parts, name)
    import django

    django.setup()
    from django.conf import settings

    # A pathological plan is reported as a timeout instead of hanging the run.
    timeout = os.environ.get("BENCH_STATEMENT_TIMEOUT", "300s")
    options = settings.DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"-c statement_timeout={timeout}"
    from django.core.management import call_command

    # Pages are served without a collectstatic manifest, as in the tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }

    call_command("migrate", verbosity=0, skip_checks=True)
    return name


def _create_database(parts, name):
    import psycopg

    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")


def ensure_data():
    """The UN-scale treaty, generated in a subprocess unless present with this seed."""
    from demo.synthetic import SCALES, treaty_marker
    from provisions.models import Treaty
    from states.models import Position, Statement

    _remove_leftovers()
    scale = SCALES["un"]
    treaty = Treaty.objects.filter(slug=TREATY).first()
    if (
        treaty is not None
        and treaty.description == treaty_marker("un", SEED)
        and Statement.objects.filter(session__treaty=treaty).count() == scale.statements
        and Position.objects.filter(statement__session__treaty=treaty).count()
        == scale.positions
    ):
        print(f"Using the UN-scale data set already in place (seed {SEED}).")
        return treaty, None
    command = [sys.executable, "manage.py", "generate_synthetic", "--skip-checks"]
    command += ["--scale", "un", "--seed", str(SEED), "--treaty", TREATY]
    print("Generating the UN-scale data set:", " ".join(command[1:]))
    started = time.perf_counter()
    subprocess.run(command, cwd=BASE_DIR, check=True)
    seconds = time.perf_counter() - started
    return Treaty.objects.get(slug=TREATY), seconds


def _remove_leftovers():
    """Statements an interrupted benchmark added (the data set must stay as made)."""
    from django.db import transaction

    from states.models import Statement
    from states.services import statement_delete

    with transaction.atomic():  # one rebuild for them all, after the commit
        for statement in Statement.objects.filter(
            session__treaty__slug=TREATY, title__startswith=TITLE
        ):
            statement_delete(statement=statement, user=None)


def database_facts():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
    return f"PostgreSQL {version} (jit {jit}, work_mem {work_mem})"


DEMO_TREATY = "un-cybercrime"


def ensure_demo():
    """The demo treaty beside the UN-scale one (loaded, and built, when missing)."""
    from demo.loader import demo_load
    from provisions.models import Treaty
    from states.services import matrix_rebuild

    if not Treaty.objects.filter(slug=DEMO_TREATY).exists():
        print("Loading the demo treaty beside it.")
        demo_load()
    treaty = Treaty.objects.get(slug=DEMO_TREATY)
    matrix_rebuild(treaty_id=treaty.id)
    return treaty


def database_url():
    return os.environ["DATABASE_URL"]
