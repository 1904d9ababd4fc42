"""What every list table of the portal shares."""

import django_tables2 as tables
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django_tables2 import Column


class KeysFirstPaginator(Paginator):
    """Fetches a page of a queryset in two queries: the keys of the page in the list's order, then the
    rows of those keys with all they join and annotate.

    OFFSET makes the database build and drop every row before the page. Dropping bare keys, read from
    the index that serves the order, is cheap; dropping rows joined to their village, township and
    certification is not: page 2,000 of a province's candidates took 2.2 s in one query (BENCHMARKS.md).
    """

    def page(self, number):
        page = super().page(number)
        rows = page.object_list  # django-tables2's BoundRows over the sliced queryset
        sliced = rows.data
        if isinstance(sliced, QuerySet):
            keys = list(sliced.values_list("pk", flat=True))
            whole = sliced._chain()
            whole.query.clear_limits()
            whole.query.clear_ordering(force=True)
            found = {record.pk: record for record in whole.filter(pk__in=keys)}
            # A row deleted between the two queries is left out, not a server error.
            rows.data = [found[key] for key in keys if key in found]
        return page


def _shows_value(bound_column) -> bool:
    """Whether a column shows its value as it is: no render_<name>, no own render(), no link."""
    return getattr(bound_column.render, "__func__", None) is Column.render and not bound_column.link


def _as_is(bound_column, value=None):
    return value


def _choice_labels(table, bound_column) -> dict | None:
    """{stored value: label} when the column shows a choice field of the table's own model as it is.

    Django's get_FOO_display rebuilds that mapping for every cell it shows (a fifth of a list's time).
    """
    name = str(bound_column.accessor)
    model = table._meta.model
    if model is None or "__" in name or "." in name:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not field.choices or field.is_relation:
        return None
    return {value: str(label) for value, label in field.flatchoices}


class PortalTable(tables.Table):
    """A django-tables2 table whose page size stays within 1 and settings.MAX_PAGE_SIZE, whatever
    `per_page` the query string asks for (finding F10: 100,000 rows in one page; -1 a 500), paged
    keys first (KeysFirstPaginator), its body built by `body_rows`."""

    def paginate(self, paginator_class=KeysFirstPaginator, *args, per_page=None, **kwargs):
        per_page = min(max(per_page or settings.PAGE_SIZE, 1), settings.MAX_PAGE_SIZE)
        return super().paginate(paginator_class, *args, per_page=per_page, **kwargs)

    def body_rows(self):
        """The page's rows as (row attributes, [(cell attributes, cell)]) for the table template.

        The same cells as django-tables2's own body, for a third of the time: a column's cell
        attributes are worked out once, not per cell; a column that shows its value as it is skips
        the library's per-cell call of a render function (an `inspect.signature` each), and a choice
        field's labels are looked up once. 50 candidates rendered in about 40 ms before (BENCHMARKS.md).
        """
        columns = []
        for column in self.columns:
            as_is = _shows_value(column)
            labels = _choice_labels(self, column) if as_is else None
            columns.append((column, column.attrs["td"].as_html(), as_is, labels))
        for row in self.paginated_rows:
            cells = []
            for column, attrs, as_is, labels in columns:
                if labels is not None:
                    value = getattr(row.record, column.accessor)
                    cell = column.default if value in column.column.empty_values else labels.get(value, value)
                elif as_is:
                    # The library's own value lookup (choices shown by label, empty values by the
                    # column's default), without the render call.
                    cell = row._get_and_render_with(column, render_func=_as_is, default=column.default)
                else:
                    cell = row.get_cell(column.name)
                cells.append((attrs, cell))
            yield row.attrs.as_html(), cells


def list_query(request) -> str:
    """A list page's query string without its page: what its export and the way back to it keep."""
    query = request.GET.copy()
    for key in ("page", "per_page"):
        query.pop(key, None)
    return query.urlencode()
