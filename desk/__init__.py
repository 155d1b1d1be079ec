"""The editors' desk: entry forms, the review queue and imports (services only)."""
