"""Listeners for signals sent by `provisions` (which may not import `states`)."""
