import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse

from tests.factories import SessionFactory
from tracker import env

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(
    ("reader", "name", "value"),
    [
        (env.env_bool, "DJANGO_DEBUG", "maybe"),
        (env.env_list, "DJANGO_ALLOWED_HOSTS", "a,,b"),
        (env.env_redis_url, "REDIS_URL", "http://127.0.0.1:6379"),
        (lambda name: env.env_float(name, 1.0), "MATRIX_SWEEP_SECONDS", "often"),
    ],
)
def test_malformed_setting_is_an_error_naming_the_variable(
    monkeypatch, reader, name, value
):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        reader(name)


def test_malformed_database_url_is_an_error_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "nosuchdb://x")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.env_database("DATABASE_URL", "sqlite:///x")


def test_start_up_fails_on_a_malformed_variable():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "perhaps"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


def test_every_setting_read_is_documented_in_env_example_and_readme():
    settings_source = (ROOT / "tracker" / "settings.py").read_text()
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    import re

    names = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings_source))
    assert {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"} <= names
    for name in names:
        assert f"{name}=" in example, name
        assert f"`{name}`" in readme, name


def test_docker_compose_names_the_services_and_settings_the_app_needs():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    for name in ("web", "worker", "beat", "migrate"):
        environment = services[name]["environment"]
        for variable in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
            assert variable in environment, (name, variable)
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in " ".join(services["worker"]["command"])


@pytest.mark.django_db
def test_home_lists_treaties_sessions_and_counts(client):
    session = SessionFactory(title="Fourth session", venue="Vienna")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert session.treaty.title in body
    assert "Fourth session" in body
    assert "Vienna" in body


@pytest.mark.django_db
def test_admin_is_for_staff_only(client, django_user_model):
    assert client.get("/admin/").status_code == 302
    user = django_user_model.objects.create_user("reader", password="x")
    client.force_login(user)
    assert client.get("/admin/").status_code == 302


def test_docker_compose_checks_web_and_worker_health_with_the_health_checks():
    from tracker.health import CHECKS

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    web = " ".join(services["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in web
    worker = " ".join(services["worker"]["healthcheck"]["test"])
    assert "inspect ping" in worker and "python -m tracker.healthcheck" in worker
    assert set(CHECKS) == {"database", "cache", "broker", "matrix"}
    # gunicorn kills a request only after PostgreSQL would have cancelled its query.
    command = services["web"]["command"]
    gunicorn_timeout = int(command[command.index("--timeout") + 1])
    from django.conf import settings

    assert settings.WEB_STATEMENT_TIMEOUT_MS < gunicorn_timeout * 1000


@pytest.mark.django_db
def test_healthz_is_routed_and_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert reverse("healthz") == "/healthz"
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/methodology/").status_code == 301
