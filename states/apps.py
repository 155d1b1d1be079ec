from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StatesConfig(AppConfig):
    name = "states"
    verbose_name = "Actors, statements and positions"

    def ready(self):
        from states import (
            receivers,  # noqa: F401  (connects provisions' signals)
            revisions,  # noqa: F401  (records every change)
        )

        post_migrate.connect(_statement_fts5_in_step, sender=self)


def _statement_fts5_in_step(using, **kwargs):
    """On SQLite, a later migration that rebuilds states_statement drops the FTS5
    triggers of 0010 with the old table: put them back (no-op when present)."""
    from django.db import connections

    from common.fulltext import fts5_install
    from states.selectors import STATEMENT_FTS

    fts5_install(connections[using], STATEMENT_FTS)
