"""Signals the states services send for listeners they must not import."""

from django.dispatch import Signal

# Sent after a service set a statement's co-signers, supporters and sources (after its
# own save): states.revisions completes the revision that save recorded.
statement_relations_changed = Signal()
