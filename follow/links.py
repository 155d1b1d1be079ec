"""Absolute links for e-mails, which have no request to build them from."""

from django.conf import settings


def absolute(path):
    return settings.SITE_URL + path
