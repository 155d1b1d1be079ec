"""The matrix as CSV (API.md): the wide shape (a line per actor, a column per
provision, headed by slugs or by labels) and the long one (a line per cell).

The default, `?format=csv` alone, is the wide shape headed by slugs, byte for byte
as it has always been apart from neutralised formula cells; every other form is
asked for by name, so programs reading the default are not broken.
"""

import hashlib
from dataclasses import dataclass

from common import spreadsheet
from common.errors import ParameterError
from provisions.selectors import latest_labels
from states.matrix.params import PARTY_KINDS
from states.matrix.read import matrix_rows
from states.models import Position, Statement

SHAPES = ("wide", "long")
HEADERS = ("slugs", "labels")
CSV_PARAMS = frozenset({"shape", "header", spreadsheet.BOM_PARAM})

# What a long line takes from the cell's position (after `stance`) and from its
# statement (at the end), as (column, model field). Columns are only ever added.
POSITION_COLUMNS = (("wants", "wants"),)
STATEMENT_COLUMNS = (("verification", "verification"), ("source_url", "source_url"))
LONG_HEADER = (
    "actor_code",
    "actor_name",
    "provision_slug",
    "provision_label",
    "provision_title",
    "stance",
    *(column for column, _ in POSITION_COLUMNS),
    "since",
    "via",
    "statement",
    *(column for column, _ in STATEMENT_COLUMNS),
)


@dataclass(frozen=True)
class CsvOptions:
    shape: str = "wide"
    header: str = "slugs"
    bom: bool = False

    @property
    def is_default(self):
        return self == CsvOptions()


def _choice(query_params, name, choices):
    raw = query_params.get(name)
    if raw is None:
        return choices[0]
    if raw not in choices:
        raise ParameterError(name, f"'{raw}' is not one of {', '.join(choices)}.")
    return raw


def csv_options(query_params, wants_csv):
    """The CSV options of a matrix request (None for JSON); bad ones are a
    ParameterError, as is any of them without format=csv."""
    if not wants_csv:
        given = sorted(CSV_PARAMS & set(query_params))
        if given:
            raise ParameterError(given[0], "Only with format=csv.")
        return None
    options = CsvOptions(
        shape=_choice(query_params, "shape", SHAPES),
        header=_choice(query_params, "header", HEADERS),
        bom=spreadsheet.wants_bom(query_params),
    )
    if options.shape == "long" and "header" in query_params:
        raise ParameterError("header", "Only with shape=wide (long has named columns).")
    return options


class MatrixCsv:
    """One CSV form of a matrix view: its ETag, file name and body."""

    def __init__(self, params, view, options):
        self.params = params
        self.view = view
        self.options = options
        needs_labels = options.shape == "long" or options.header == "labels"
        ids = [p["id"] for p in view.provisions]
        # Read before the ETag: a label can change with no cell changing.
        self.labels = latest_labels(ids) if needs_labels else {}

    @property
    def etag(self):
        if self.options.is_default:
            return self.view.etag
        digest = hashlib.sha1(self.view.etag.encode(), usedforsecurity=False)
        digest.update(repr(self.options).encode())
        digest.update(repr(sorted(self.labels.items())).encode())
        return f'"{self.view.etag.strip(chr(34))}-{digest.hexdigest()[:12]}"'

    @property
    def filename(self):
        return matrix_filename(self.params, self.options.shape)

    def body(self):
        if self.options.shape == "long":
            text = long_csv(self.view, self.labels)
        else:
            text = wide_csv(self.view, self._wide_headers())
        return spreadsheet.with_bom(text, self.options.bom)

    def _wide_headers(self):
        if self.options.header == "slugs":
            return [p["slug"] for p in self.view.provisions]
        return [self._label_and_title(p) for p in self.view.provisions]

    def _label_and_title(self, provision):
        label, _heading = self.labels.get(provision["id"], ("", ""))
        return f"{label}: {provision['title']}" if label else provision["title"]


def matrix_filename(params, shape="wide"):
    """`un-cybercrime-matrix-session-8-group-african-states-chapter-ii.csv`."""
    return spreadsheet.filename(
        params.treaty.slug,
        "matrix",
        "session",
        params.session.number,
        *(("group", params.group.slug) if params.group else ()),
        *(("chapter", params.chapter.number) if params.chapter else ()),
        *(("kind", "-".join(params.kinds)) if set(params.kinds) != _PARTIES else ()),
        *(("actors", "-".join(params.actor_codes)) if params.actor_codes else ()),
        "long" if shape == "long" else "",
    )


_PARTIES = set(PARTY_KINDS)


def changes_filename(params, from_number):
    return spreadsheet.filename(
        params.treaty.slug,
        "changes",
        "session",
        from_number,
        "to",
        params.session.number,
        *(("group", params.group.slug) if params.group else ()),
        *(("chapter", params.chapter.number) if params.chapter else ()),
    )


def wide_csv(view, headers):
    """A line per row actor (in display order), then its stance per column.

    Each row is written out as it is read, then put in order.
    """
    names = {actor["code"]: actor["name"] for actor in view.actors}
    lines = {}
    for code, cells in matrix_rows(view):
        stances = (
            cells[p["id"]]["stance"] if p["id"] in cells else ""
            for p in view.provisions
        )
        lines[code] = spreadsheet.csv_line([code, names[code], *stances])
    no_cells = [""] * len(view.provisions)
    return "".join(
        [
            spreadsheet.csv_line(["actor_code", "actor_name", *headers]),
            *(
                lines.get(a["code"])
                or spreadsheet.csv_line([a["code"], a["name"], *no_cells])
                for a in view.actors
            ),
        ]
    )


def _fields_of(model, ids, columns):
    """{pk: [values of the columns' fields]} of the model's rows `ids` (one query)."""
    fields = [field for _, field in columns]
    return {
        pk: values
        for pk, *values in model.objects.filter(pk__in=ids)
        .order_by()
        .values_list("pk", *fields)
    }


def long_csv(view, labels):
    """A line per present cell: actors in display order, then provisions."""
    rows = dict(matrix_rows(view))
    cells_present = [cell for cells in rows.values() for cell in cells.values()]
    positions = _fields_of(
        Position, {c["position"] for c in cells_present}, POSITION_COLUMNS
    )
    statements = _fields_of(
        Statement, {c["statement"] for c in cells_present}, STATEMENT_COLUMNS
    )
    no_position = [""] * len(POSITION_COLUMNS)
    no_statement = [""] * len(STATEMENT_COLUMNS)
    lines = [spreadsheet.csv_line(LONG_HEADER)]
    for actor in view.actors:
        cells = rows.get(actor["code"], {})
        for provision in view.provisions:
            cell = cells.get(provision["id"])
            if cell is None:
                continue
            label, _heading = labels.get(provision["id"], ("", ""))
            lines.append(
                spreadsheet.csv_line(
                    [
                        actor["code"],
                        actor["name"],
                        provision["slug"],
                        label,
                        provision["title"],
                        cell["stance"],
                        *positions.get(cell["position"], no_position),
                        cell["since"],
                        cell["via"] or "",
                        cell["statement"],
                        *statements.get(cell["statement"], no_statement),
                    ]
                )
            )
    return "".join(lines)
