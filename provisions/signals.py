"""The one way news from `provisions` reaches the matrix in `states`.

`provisions` must not import `states`; services here send this signal after a change
that can alter matrix cells (a session's number or status), and `states` listens.
"""

from django.dispatch import Signal

# Sent with treaty_id and from_session_number (the lowest session number affected).
matrix_inputs_changed = Signal()
