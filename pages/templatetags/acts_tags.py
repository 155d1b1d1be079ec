"""Template filters for the formal acts: source links, dates with their precision,
and dictionary lookups for tables keyed by choice or status."""

import re

from django import template

register = template.Library()

_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$", re.IGNORECASE)


@register.filter
def source_href(source):
    """A URL to link a source to, or "" when the notes gave no usable address (a site
    name, or a path the notes shortened with "…")."""
    source = source.strip()
    if "…" in source:
        return ""
    if source.startswith(("https://", "http://")):
        return source.replace(" ", "%20")  # UNTC paths have spaces
    if " " in source:
        return ""
    if _DOMAIN.match(source) and "/" in source:
        return f"https://{source}"
    return ""


@register.filter
def act_date(action):
    """The action's date as precise as it is known."""
    if action is None:
        return ""
    if action.date_precision == "month":
        return f"{action.date:%B %Y}"
    return f"{action.date.day} {action.date:%b %Y}"


@register.filter
def get(mapping, key):
    return mapping.get(key, "") if mapping else ""
