import pytest
from django.urls import reverse

from tests.factories import (
    ChapterFactory,
    DraftFactory,
    ProvisionFactory,
    ProvisionTextFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


# The treaty page: treaty, sessions, drafts, provisions with chapters, labels.
TREATY_PAGE_QUERIES = 5


def test_treaty_page_lists_sessions_drafts_and_provisions_by_chapter_with_labels(
    client, django_assert_max_num_queries
):
    session = SessionFactory(title="Opening session")
    treaty = session.treaty
    chapters = [ChapterFactory(treaty=treaty, order=i) for i in range(3)]
    old = DraftFactory(treaty=treaty, title="Zero draft", published_on="2023-01-01")
    new = DraftFactory(treaty=treaty, title="Revised draft", published_on="2023-06-01")
    for i in range(30):
        provision = ProvisionFactory(treaty=treaty, chapter=chapters[i % 3])
        ProvisionTextFactory(provision=provision, draft=old, label=f"Art. {i}")
        ProvisionTextFactory(provision=provision, draft=new, label=f"Article {i + 1}")
    with django_assert_max_num_queries(TREATY_PAGE_QUERIES):
        response = client.get(reverse("treaty-detail", kwargs={"treaty": treaty.slug}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Opening session" in body and "Zero draft" in body
    assert "Article 30" in body and "Art. 29" not in body  # labels of the latest draft
    for chapter in chapters:
        assert chapter.title in body
    assert provision.get_absolute_url() in body


def test_unknown_treaty_is_404(client):
    assert (
        client.get(reverse("treaty-detail", kwargs={"treaty": "nope"})).status_code
        == 404
    )
