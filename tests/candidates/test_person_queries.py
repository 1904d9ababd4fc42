"""The person's page reads each kind of record once (candidates.person.PersonRecords), shared by the
timeline and the sections, whatever the number of records."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates.models import Candidate

pytestmark = pytest.mark.django_db

# The user (with the jurisdiction; the session comes from the cache), the person and their history, one
# query for each of the 18 kinds of record shown (certification steps and promotion decisions
# included), and the log of the full ID number's view (a county reviewer's). 36 before the records
# were shared.
PAGE_QUERIES = 23


def test_no_table_is_read_twice_for_one_persons_page(client_of):
    person = Candidate.objects.get(name="李根")
    client = client_of("xinbin")
    client.get(person.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        page = client.get(person.get_absolute_url())
    assert page.status_code == 200
    assert "李根" in page.content.decode()
    read = Counter(
        re.search(r'FROM "(\w+)"', query["sql"]).group(1)
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith("SELECT")
    )
    assert [table for table, times in read.items() if times > 1] == []
    assert len(captured.captured_queries) <= PAGE_QUERIES
