"""Template helpers of the public site: stance labels and the matrix's rows of cells.

Matrix rows are built here rather than in the template because a view at UN scale has
tens of thousands of cells and the template language is too slow for that; every
value still goes through format_html, so it is escaped.
"""

from django import template
from django.utils.html import format_html, format_html_join

from states import charts

register = template.Library()


@register.filter
def stance_label(stance):
    return charts.STANCE_LABELS.get(stance or charts.NO_POSITION, stance)


@register.filter
def stance_symbol(stance):
    return charts.STANCE_SYMBOLS.get(stance or charts.NO_POSITION, "")


@register.filter
def stance_class(stance):
    return stance or charts.NO_POSITION


@register.simple_tag
def stance_badge(stance):
    key = stance or charts.NO_POSITION
    return format_html(
        '<span class="stance stance-{}"><span class="sym" aria-hidden="true">{}</span>'
        " {}</span>",
        key,
        charts.STANCE_SYMBOLS.get(key, ""),
        charts.STANCE_LABELS.get(key, key),
    )


_CELL = (
    '<td class="c{}"><a class="cell s-{}{}{}" href="{}#position-{}"'
    ' data-testid="matrix-cell"'
    ' data-actor="{}" data-provision="{}" data-position="{}" data-since="{}"'
    ' data-via="{}" aria-label="{}">{}</a></td>'
)
_EMPTY = (
    '<td class="c none{}{}" data-testid="matrix-cell" data-actor="{}"'
    ' data-provision="{}" data-stance="" title="{}: no information">·</td>'
)


@register.simple_tag
def matrix_cells(actor, cells, columns, stance=""):
    """The <td>s of one actor's row, in the order of `columns`."""
    return format_html_join(
        "",
        "{}",
        (
            (_cell(actor, cell, column, stance),)
            for cell, column in zip(cells, columns, strict=True)
        ),
    )


def _cell(actor, cell, provision, stance):
    end = " ch-end" if provision.get("chapter_end") else ""
    code = actor["code"]
    if cell is None:
        dim = " dim-none" if stance and stance != "none" else ""
        return format_html(_EMPTY, end, dim, code, provision["id"], actor["name"])
    key = cell["stance"]
    via = cell.get("via") or ""
    label = f"{actor['name']} on {provision['title']}: {charts.STANCE_LABELS[key]}"
    label += f", since session {cell['since']}"
    if via:
        label += f", via {via}"
    return format_html(
        _CELL,
        end,
        key,
        " inherited" if via else "",
        " dim" if stance and stance != key else "",
        provision["url"],
        cell["position"],
        code,
        provision["id"],
        cell["position"],
        cell["since"],
        via,
        label,
        charts.STANCE_SYMBOLS[key],
    )
