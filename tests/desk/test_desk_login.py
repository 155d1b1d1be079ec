"""Editors and reviewers sign in on the desk's own page: they are not staff, and the
admin's login refuses everyone who is not."""

import pytest
from django.urls import reverse

from tests.api_helpers import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-editor-password-1"


def _user(name, group):
    user = make_user(name, group)
    user.set_password(PASSWORD)
    user.save()
    assert not user.is_staff
    return user


def test_an_editor_who_is_not_staff_signs_in_and_lands_on_the_desk(client):
    _user("edna", "Editors")
    response = client.get(reverse("desk:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("desk:login") + "?next=")
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'data-testid="login-form"' in page.text
    response = client.post(
        reverse("desk:login"),
        {"username": "edna", "password": PASSWORD, "next": reverse("desk:home")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("desk:home")
    home = client.get(reverse("desk:home"))
    assert home.status_code == 200 and "Signed in as edna" in home.text


def test_a_wrong_password_says_so_and_signing_out_ends_the_session(client):
    _user("rita", "Reviewers")
    response = client.post(
        reverse("desk:login"), {"username": "rita", "password": "wrong"}
    )
    assert response.status_code == 200
    assert 'data-testid="login-error"' in response.text
    client.post(reverse("desk:login"), {"username": "rita", "password": PASSWORD})
    assert client.get(reverse("desk:review")).status_code == 200
    assert client.post(reverse("desk:logout")).status_code == 302
    assert client.get(reverse("desk:review")).status_code == 302
