"""The demo record's tables: the UN members and groups, the actors the sources name, the
negotiation (sessions, drafts, chapters, provisions) and the statements."""
