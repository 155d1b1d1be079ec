"""The shapes the demo's statement tables share (statements.py, state_positions.py)."""

SUPPORT = "support"
WITH_CHANGES = "support_with_changes"
UNDECIDED = "undecided"
OPPOSE = "oppose"

PARTLY_VERIFIED = "partly_verified"  # the notes' [P]: kept, and said to readers
DRAFT = "draft"  # a statement whose source has no full address yet: editors only


def statement(session, actor, title, text, source_url, positions, **fields):
    """One statement. `positions` are (provision slug, stance, quote, note[, wants]);
    optional fields are the model's, plus `co_signers`, `supporters` (actor codes),
    `on_behalf_of` (a group slug) and `sources` (URLs or (URL, kind) pairs, the first
    being `source_url`)."""
    return {
        "session": session,
        "actor": actor,
        "title": title,
        "text": text,
        "source_url": source_url,
        "positions": tuple(positions),
        **fields,
    }
