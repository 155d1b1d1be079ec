"""The demo record, loaded once per test module: each test runs in its own savepoint
inside the module's transaction, rolled back at the end, so a test's writes are
undone as with a load per test (loading it costs a second on PostgreSQL)."""

import pytest
from django.db import transaction

from demo.loader import demo_load


@pytest.fixture(scope="module")
def _demo_in_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            yield demo_load()
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_in_module, db):
    """The demo's counts per model (demo.loader.model_counts)."""
    return dict(_demo_in_module)
