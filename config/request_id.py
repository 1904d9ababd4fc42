"""A reference for each request (DESIGN: "bad input gets a clear error"): every log line of a request
carries it, every response names it in `X-Request-ID`, and the 500 page shows it, so that a user can
quote it to the administrator, who finds the request's traceback in the log by it."""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
# What a reverse proxy may pass on as the request's id (nginx's $request_id is 32 hex digits): anything
# else, a line break that would forge a log line, markup, a page of text, is replaced by our own.
_SAFE = re.compile(r"[A-Za-z0-9._-]{8,64}")

_current = contextvars.ContextVar("request_id", default="-")


def current() -> str:
    """The id of the request being handled in this thread, or "-" outside any."""
    return _current.get()


class RequestIdMiddleware:
    """First of the middleware, so that everything after it, the error handling included, logs with
    the request's id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.request_id = given if _SAFE.fullmatch(given) else uuid.uuid4().hex[:16]
        token = _current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


def _install_record_factory() -> None:
    """Every log record made during a request carries its id from the moment it is made, whichever
    handler reads it later (the console's, a test's)."""
    made = logging.getLogRecordFactory()
    if getattr(made, "adds_request_id", False):
        return

    def record_with_request_id(*args, **kwargs):
        record = made(*args, **kwargs)
        record.request_id = _current.get()
        return record

    record_with_request_id.adds_request_id = True
    logging.setLogRecordFactory(record_with_request_id)


_install_record_factory()


class RequestIdFilter(logging.Filter):
    """Makes sure a record has `request_id` for the formatter, whatever made it."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True
