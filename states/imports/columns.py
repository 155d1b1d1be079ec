"""The columns of a positions file: their names, which are required, what each holds
(the column guide of the template and the upload page) and the template's example."""

from dataclasses import dataclass

from states import stances
from states.models import Statement, StatementSource, Verification


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    guide: str
    example: str
    # Statement columns describe the statement a row belongs to; the others, the
    # position (one per row).
    statement: bool = True


def _values(choices):
    return ", ".join(choices.values)


COLUMNS = (
    Column("session", True, "The session's number (0 for an organizational one).", "7"),
    Column(
        "date",
        False,
        "The day it was said, within the session's dates: 2024-02-05 (or 5 Feb "
        "2024). Empty when not known.",
        "2024-02-05",
    ),
    Column(
        "speaker",
        True,
        "The actor who spoke: its code (JPN), name (Japan) or an alias (Nippon).",
        "Japan",
    ),
    Column(
        "co_signers",
        False,
        "Actors who co-signed a joint statement, separated by ';' (codes, names or "
        "aliases).",
        "Australia; CAN",
    ),
    Column(
        "supporters",
        False,
        "Actors who backed it (\"aligned with\"), separated by ';'.",
        "NZL",
    ),
    Column(
        "on_behalf_of",
        False,
        "The group it was made for: the group's slug or name.",
        "",
    ),
    Column(
        "also_for",
        False,
        'Support that names no actor: "and several other delegations".',
        "and several other delegations",
    ),
    Column("kind", False, f"One of: {_values(Statement.Kind)}. Default: oral.", "oral"),
    Column("title", True, "The statement's title.", "Statement on criminalization"),
    Column(
        "text",
        True,
        "What readers read: the quote or a summary of the statement.",
        "Japan supports a narrow list of offences.",
    ),
    Column(
        "source_url",
        False,
        "Where the statement can be read (required to publish).",
        "https://example.org/ahc7/japan",
    ),
    Column(
        "source_kind",
        False,
        f"One of: {_values(StatementSource.Kind)}. Default: official_record.",
        "official_record",
    ),
    Column(
        "more_sources",
        False,
        "Further sources after source_url, separated by ';' or new lines, each an "
        "address with its kind in brackets (default: source_kind's).",
        "https://example.org/report (ngo_report)",
    ),
    Column(
        "verification",
        False,
        f"One of: {_values(Verification)}. Default: unverified.",
        "partly_verified",
    ),
    Column("language", False, "The statement's language code. Default: en.", "en"),
    Column(
        "document_symbol",
        False,
        "The UN document symbol, if the statement is a document.",
        "",
    ),
    Column(
        "statement_note",
        False,
        "A note for editors about the statement (where it was really said, what the "
        "source is); never shown to readers.",
        "",
    ),
    Column(
        "provision",
        True,
        "The provision: its slug, its title, or its label as printed in any draft "
        '("Art. 14(3)", "14(3)"). Leave it and the stance empty for a statement '
        "that takes no position on a provision.",
        "Art. 14",
        statement=False,
    ),
    Column(
        "stance",
        True,
        f'One of: {", ".join(stances.ORDER)} (or their labels, e.g. "Support with '
        'changes"). Empty only when the provision is.',
        "support_with_changes",
        statement=False,
    ),
    Column(
        "wants",
        False,
        "What the actor wants instead: \"delete 'without right'\".",
        "delete 'without right'",
        statement=False,
    ),
    Column(
        "quote",
        False,
        "The passage that justifies the stance.",
        "We can accept Article 14 without the words 'without right'.",
        statement=False,
    ),
    Column(
        "note",
        False,
        "A note for editors about this position; never shown to readers.",
        "",
        statement=False,
    ),
)

BY_NAME = {column.name: column for column in COLUMNS}
NAMES = tuple(BY_NAME)
REQUIRED = tuple(c.name for c in COLUMNS if c.required)
STATEMENT_COLUMNS = tuple(c.name for c in COLUMNS if c.statement)
# Rows with equal values here form one statement (issue 12).
STATEMENT_KEY = ("session", "speaker", "date", "source_url", "title")
