"""Signals states sends for the apps above it (which it may not import)."""

from django.dispatch import Signal

# A treaty's matrix was rebuilt and committed: treaty_id, summary (build.build()'s).
# Sent by the rebuild task, after the build's transaction; receivers must not raise
# (an alert that fails must not fail or retry the build).
matrix_rebuilt = Signal()
