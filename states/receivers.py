"""Listeners for signals sent by `provisions` (which may not import `states`)."""

from django.dispatch import receiver

from provisions.signals import matrix_inputs_changed
from states import services


@receiver(matrix_inputs_changed, dispatch_uid="states.matrix_inputs_changed")
def mark_matrix_stale(sender, *, treaty_id, from_session_number=None, **kwargs):
    services.matrix_mark_stale(
        treaty_id=treaty_id, from_session_number=from_session_number
    )
