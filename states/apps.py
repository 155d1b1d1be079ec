from django.apps import AppConfig


class StatesConfig(AppConfig):
    name = "states"
    verbose_name = "Actors, statements and positions"

    def ready(self):
        from states import (
            receivers,  # noqa: F401  (connects provisions' signals)
            revisions,  # noqa: F401  (records every change)
        )
