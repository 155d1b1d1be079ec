from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ProvisionsConfig(AppConfig):
    name = "provisions"
    verbose_name = "Treaty texts and sessions"

    def ready(self):
        post_migrate.connect(_provision_fts5_in_step, sender=self)


def _provision_fts5_in_step(using, **kwargs):
    """On SQLite, a later migration that rebuilds a provisions table drops the FTS5
    triggers of 0003 with the old table: put them back (no-op when present)."""
    from django.db import connections

    from common.fulltext import fts5_install
    from provisions.selectors import PROVISION_FTS, PROVISION_TEXT_FTS

    for index in (PROVISION_FTS, PROVISION_TEXT_FTS):
        fts5_install(connections[using], index)
