"""Breadcrumbs: the trail above a page, built by its view and drawn by templates/includes/breadcrumbs.html."""

from django.shortcuts import resolve_url


def crumbs(*items) -> list[dict]:
    """The trail, top level first: `(label, to)` is a link, a bare label is not (the current page).

    `to` is what `redirect` takes: a URL, a URL name without arguments, or a record with a
    `get_absolute_url`.
    """
    return [
        {"label": item[0], "url": resolve_url(item[1])}
        if isinstance(item, tuple)
        else {"label": item, "url": ""}
        for item in items
    ]
