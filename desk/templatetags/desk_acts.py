"""The review queue's section for treaty actions, as a tag so that the review page
takes it with one include and its view stays as it is."""

from django import template

from desk import selectors

register = template.Library()


@register.simple_tag
def treaty_actions_awaiting_review():
    """Draft treaty actions for the review queue (one query)."""
    return list(selectors.treaty_actions_awaiting_review())
