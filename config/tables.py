"""What every list table of the portal shares."""

import django_tables2 as tables
from django.conf import settings


class PortalTable(tables.Table):
    """A django-tables2 table whose page size stays within 1 and settings.MAX_PAGE_SIZE, whatever
    `per_page` the query string asks for (finding F10: 100,000 rows in one page; -1 a 500)."""

    def paginate(self, *args, per_page=None, **kwargs):
        per_page = min(max(per_page or settings.PAGE_SIZE, 1), settings.MAX_PAGE_SIZE)
        return super().paginate(*args, per_page=per_page, **kwargs)


def list_query(request) -> str:
    """A list page's query string without its page: what its export and the way back to it keep."""
    query = request.GET.copy()
    for key in ("page", "per_page"):
        query.pop(key, None)
    return query.urlencode()
