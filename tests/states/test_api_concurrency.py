"""Two editors writing the same statement at the same time: one wins, one gets 412."""

import threading
import time

import pytest
from django.db import connection

from states import services
from states.models import Statement
from tests.api_helpers import api, make_user, token_client
from tests.factories import StatementFactory


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_with_the_same_etag_let_exactly_one_through(monkeypatch):
    statement = StatementFactory(status="draft", title="Original")
    url = api("statement-detail", pk=statement.pk)
    clients = [token_client(make_user(name, "Editors")) for name in ("ann", "ben")]
    etag = clients[0].get(url)["ETag"]

    original_update = services.statement_update

    def slow_update(**kwargs):
        # Widen the window between the If-Match check and the commit: without the
        # row lock both requests would pass the check with the same ETag.
        time.sleep(0.3)
        return original_update(**kwargs)

    monkeypatch.setattr(services, "statement_update", slow_update)
    barrier = threading.Barrier(2)
    results = {}

    def edit(client, title):
        try:
            barrier.wait()
            response = client.patch(
                url, {"title": title}, format="json", HTTP_IF_MATCH=etag
            )
            results[title] = response.status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(client, title))
        for client, title in zip(clients, ("Ann's", "Ben's"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert sorted(results.values()) == [200, 412]
    winner = next(title for title, code in results.items() if code == 200)
    assert Statement.objects.get(pk=statement.pk).title == winner
