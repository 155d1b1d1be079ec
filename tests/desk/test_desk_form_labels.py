"""Every control of the statement form has an accessible name: a <label for> with
text, or an aria-label (a column heading names no box for a screen reader). The
rows added by script come from the form's <template>s, checked alike."""

import html.parser

import pytest
from django.urls import reverse

from tests.desk.desk_world import desk_world, entry_data

pytestmark = pytest.mark.django_db


class Controls(html.parser.HTMLParser):
    """The form controls of a page and the text of its labels, by `for`."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls, self.labels, self._label = [], {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label":
            self._label = attrs.get("for")
            self.labels.setdefault(self._label, "")
        elif tag in ("input", "select", "textarea") and attrs.get("type") != "hidden":
            self.controls.append(attrs)

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None

    def handle_data(self, data):
        if self._label is not None:
            self.labels[self._label] += data

    def unnamed(self):
        return [
            c.get("name") or c.get("id")
            for c in self.controls
            if not (c.get("aria-label") or "").strip()
            and not self.labels.get(c.get("id"), "").strip()
        ]


def _controls(body):
    parser = Controls()
    parser.feed(body)
    return parser


@pytest.fixture
def world():
    return desk_world()


def test_every_control_of_the_entry_form_has_a_name(client, editor, world):
    client.force_login(editor)
    controls = _controls(client.get(reverse("desk:statement-new")).content.decode())
    assert len(controls.controls) > 30  # the statement, its rows and the templates
    assert controls.unnamed() == []
    assert controls.labels["header-q"] == "Search the record"
    assert controls.labels["id_others-0-actor"] == "Other actor 1"
    assert controls.labels["id_sources-0-url"] == "Source URL 1"
    assert controls.labels["id_sources-__prefix__-kind"] == "Kind of source (added)"


def test_a_refused_form_keeps_every_name_with_its_errors(client, editor, world):
    session, _, speaker, others = world
    client.force_login(editor)
    data = entry_data(session, speaker, others, title="", **{"sources-0-url": "x"})
    response = client.post(reverse("desk:statement-new"), data)
    assert response.status_code == 200
    controls = _controls(response.content.decode())
    assert 'data-testid="error-title"' in response.content.decode()
    assert controls.unnamed() == []
