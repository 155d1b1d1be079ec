"""The stances a position can take (DESIGN §2), defined once: their values in display
order (favourable to unfavourable to the provision's proposition), their labels and
the symbols that go with the colours (colour is never the only signal).

No information is not a stance: it is the absence of any position, shown distinctly.
Plain data, so the pure matrix rules can use it without Django.
"""

SUPPORT = "support"
SUPPORT_WITH_CHANGES = "support_with_changes"
UNDECIDED = "undecided"
OPPOSE = "oppose"
NO_POSITION = "no_position"

ORDER = (SUPPORT, SUPPORT_WITH_CHANGES, UNDECIDED, OPPOSE)
LABELS = {
    SUPPORT: "Support",
    SUPPORT_WITH_CHANGES: "Support with changes",
    UNDECIDED: "Undecided",
    OPPOSE: "Oppose",
    NO_POSITION: "No information",
}
SYMBOLS = {
    SUPPORT: "✚",
    SUPPORT_WITH_CHANGES: "±",
    UNDECIDED: "?",
    OPPOSE: "✖",
    NO_POSITION: "·",
}
# The legend's order: every stance, then the absence of one.
WITH_NO_POSITION = (*ORDER, NO_POSITION)
