"""Reads of the jobs app: the lists a job works on, as its owner sees them."""

from django.db.models import QuerySet
from django.http import QueryDict

from candidates.filters import CandidateFilter
from candidates.selectors import candidate_list
from candidates.tables import CandidateTable


def candidate_filter(*, user, query: str) -> CandidateFilter:
    """The candidate list's filters over what `user` may see, read from the list's query string."""
    return CandidateFilter(QueryDict(query), queryset=candidate_list(user=user))


def candidate_records(*, user, query: str) -> QuerySet:
    """The candidate list as `user` sees it with the list's query string: scoped, filtered and sorted
    like the page (and its export) with the same query string."""
    filterset = candidate_filter(user=user, query=query)
    return CandidateTable(filterset.qs, order_by=filterset.data.get("sort")).data.data
