"""Template helpers of the public site: stance labels and the matrix's rows of cells.

Matrix rows are built here rather than in the template because a view at UN scale has
tens of thousands of cells and the template language is too slow for that; every
value still goes through format_html, so it is escaped.
"""

import functools
import re
from html import escape
from urllib.parse import quote

import orjson
from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from states import stances

register = template.Library()


# URLs in long lists: {% url %} costs a full reverse() per link, which dominated the
# session and provision pages at UN scale. The patterns are reversed once with a
# placeholder; actor codes, treaty and provision slugs are URL-safe by their
# validators ([A-Z0-9-], SlugField).
_WORD, _NUMBER = "__ARG__", 987654321


@functools.cache
def _pattern(name, placeholders):
    return reverse(name, kwargs=dict(placeholders))


def _fill(pattern, placeholders, values):
    for (_, placeholder), value in zip(placeholders, values, strict=True):
        pattern = pattern.replace(str(placeholder), quote(str(value), safe=""), 1)
    return pattern


def _url(name, placeholders, *values):
    return _fill(_pattern(name, placeholders), placeholders, values)


@register.filter
def actor_url(code):
    return _url("actor-detail", (("code", _WORD),), code)


@register.filter
def provision_url(slug, treaty_slug):
    return _url(
        "provision-detail", (("treaty", _WORD), ("slug", _WORD)), treaty_slug, slug
    )


@register.filter
def session_url(number, treaty_slug):
    return _url(
        "session-detail",
        (("treaty", _WORD), ("number", _NUMBER)),
        treaty_slug,
        int(number),
    )


@register.filter
def stance_label(stance):
    return stances.LABELS.get(stance or stances.NO_POSITION, stance)


@register.filter
def stance_symbol(stance):
    return stances.SYMBOLS.get(stance or stances.NO_POSITION, "")


@register.filter
def stance_class(stance):
    return stance or stances.NO_POSITION


@register.simple_tag
def stance_badge(stance):
    return _stance_badge(stance or stances.NO_POSITION)


# A badge depends on its stance alone, and a UN-scale compare page draws 3,600;
# bounded, as a stance may come from a query string.
@functools.lru_cache(maxsize=16)
def _stance_badge(key):
    return format_html(
        '<span class="stance stance-{}"><span class="sym" aria-hidden="true">{}</span>'
        " {}</span>",
        key,
        stances.SYMBOLS.get(key, ""),
        stances.LABELS.get(key, key),
    )


@register.simple_tag
def matrix_cells(actor, cells, columns, stance=""):
    """The <td>s of one actor's row, in the order of `columns`.

    Built with f-strings rather than format_html: at UN scale a chapter has ~15,000
    cells and format_html's per-argument escaping took seconds. Every value that
    comes from the database is escaped here with html.escape (URLs, group slugs);
    the rest are integers and the fixed stance keys.

    Kept small because most cells are empty: an empty cell is a bare <td class="n">
    (its dot is drawn by CSS; the legend says what it means), and a stance's cell
    does not repeat its actor, which its row (tr[data-actor]) carries.
    """
    parts = []
    for cell, column in zip(cells, columns, strict=True):
        end = " ch-end" if column.get("chapter_end") else ""
        if cell is None:
            dim = " dim" if stance and stance != "none" else ""
            parts.append(f'<td class="n{end}{dim}"></td>')
            continue
        key = cell["stance"]
        classes = f"cell s-{key}"
        via = ""
        if cell.get("via"):
            classes += " inherited"
            via = f' data-via="{escape(cell["via"])}"'
        if stance and stance != key:
            classes += " dim"
        td = f'<td class="{end.strip()}">' if end else "<td>"
        parts.append(
            f'{td}<a class="{classes}" href="{_escaped(column["url"])}'
            f'#position-{int(cell["position"])}" data-testid="matrix-cell"'
            f' data-provision="{column["id"]}"'
            f' data-position="{int(cell["position"])}"'
            f' data-since="{int(cell["since"])}"{via}'
            f' aria-label="{_LABELS[key]}">{_SYMBOLS[key]}</a></td>'
        )
    return SafeString("".join(parts))


@functools.lru_cache(maxsize=4096)
def _escaped(url):
    """A column's URL, escaped once for all its cells (a row per actor repeats it)."""
    return escape(url)


# As django.utils.html.json_script escapes them: the JSON cannot end the script.
_JSON_SCRIPT_ESCAPES = ((b"<", b"\\u003C"), (b">", b"\\u003E"), (b"&", b"\\u0026"))


@register.filter
def compact_json_script(value, element_id):
    """json_script for a large value: the same JSON, encoded by orjson without
    spaces and with UTF-8 as it is (the matrix page's evidence: several times faster
    than the json module, and a fifth smaller). Integer keys become strings, as
    json.dumps has them."""
    data = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    for character, escaped in _JSON_SCRIPT_ESCAPES:
        data = data.replace(character, escaped)
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        # <, > and & are escaped above, as json_script escapes them.
        mark_safe(data.decode()),  # noqa: S308
    )


_LABELS = {k: escape(v) for k, v in stances.LABELS.items()}
_SYMBOLS = {k: escape(v) for k, v in stances.SYMBOLS.items()}


# A source's address as link text: where the link goes, short enough for a line.
# static/js/matrix.js (sourceAddress) shortens the evidence panel's link alike.
SOURCE_ADDRESS_MAX = 48
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://(www\.)?", re.IGNORECASE)


@register.filter
def source_address(url):
    """ "https://www.un.org/a/b/c/A_AC.291_3.pdf" as "un.org/…/A_AC.291_3.pdf": no
    scheme or "www.", and past SOURCE_ADDRESS_MAX characters the host and the last
    part of the path (the document, most often), itself cut when it is long."""
    short = _SCHEME.sub("", str(url or "").strip()).rstrip("/")
    if len(short) <= SOURCE_ADDRESS_MAX:
        return short
    host, _, path = short.partition("/")
    last = path.rsplit("/", 1)[-1]
    room = SOURCE_ADDRESS_MAX - len(host) - len("/…/")
    if "/" not in path or room < 8:
        return short[: SOURCE_ADDRESS_MAX - 1] + "…"
    if len(last) > room:
        last = last[: room - 1] + "…"
    return f"{host}/…/{last}"
