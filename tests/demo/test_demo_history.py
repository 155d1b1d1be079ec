"""Loading the demo data records a first version of every record, once."""

import pytest

from demo.loader import demo_load
from states import changelog, revisions
from states.models import Revision, Vote

pytestmark = pytest.mark.django_db


def test_load_demo_records_first_versions_and_a_second_load_adds_none():
    demo_load()
    loaded = Revision.objects.filter(action=Revision.Action.LOADED)
    expected = sum(model.objects.count() for model in revisions.ENTITY_OF)
    expected += Vote.objects.filter(sponsorships__isnull=False).distinct().count()
    expected += Vote.objects.filter(ballots__isnull=False).distinct().count()
    assert loaded.count() == Revision.objects.count() == expected
    for model, entity in revisions.ENTITY_OF.items():
        if model.objects.exists():
            assert loaded.filter(entity=entity).exists(), entity
    # The baseline is not news: the public changelog stays empty.
    assert changelog.public_changes() == []

    demo_load()
    assert Revision.objects.count() == expected
