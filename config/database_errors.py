"""A clear answer when the database is away (restarted, failed over, unreachable): 503 with a page that says
so in the user's language and asks them to try again, instead of the 500 page that tells them to report an
error. Whatever the request was writing is not written: its transaction never committed.

Django turns an exception into a response wherever it is raised (in the view, in a middleware, while the
session is saved), so a middleware cannot catch every one of them; instead the `got_request_exception`
signal, sent for each, marks the request when the exception is the database's, and the middleware swaps the
500 it receives for the 503. The next request reconnects by itself (CONN_HEALTH_CHECKS, or the pool's
check), so the portal needs no restart once the database is back; `/healthz` says when.
"""

import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again: a restart of PostgreSQL takes a few.
RETRY_AFTER = 10
_MARK = "_database_unavailable"


def unavailable_message() -> str:
    """What the page says (zh-hans: 数据库暂时不可用，请稍后重试。)."""
    return _("The database is unavailable for a moment. Please try again later.")


def _mark(sender, request=None, **kwargs) -> None:
    if request is not None and isinstance(sys.exception(), (OperationalError, InterfaceError)):
        setattr(request, _MARK, True)


got_request_exception.connect(_mark, dispatch_uid="config.database_errors")


class DatabaseUnavailableMiddleware:
    """Right after RequestIdMiddleware, so the page still carries the request's id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            logger.warning("Database unavailable: %s %s answered 503", request.method, request.path)
            return _page(request)
        return response


def _page(request) -> HttpResponse:
    """Stands alone like the 500 page (templates/includes/standalone_error.html): no context processor,
    nothing asked of the database."""
    page = loader.get_template("503.html").render({"request_id": getattr(request, "request_id", "")})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
