"""Signals states sends for listeners it must not import (apps above it, and its own
revisions)."""

from django.dispatch import Signal

# A treaty's matrix was rebuilt and committed: treaty_id, summary (build.build()'s).
# Sent by the rebuild task, after the build's transaction; receivers must not raise
# (an alert that fails must not fail or retry the build).
matrix_rebuilt = Signal()

# Sent after a service set a statement's co-signers, supporters and sources (after its
# own save): states.revisions completes the revision that save recorded.
statement_relations_changed = Signal()

# Sent after a service rewrote a vote's sponsors or ballots (entity: "vote_sponsors"
# or "ballots"): states.revisions records the set as a revision of the vote's.
vote_set_changed = Signal()
