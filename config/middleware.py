from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from config.db_router import note_write
from config.workflows import NotVisible


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose another language with the switch (a cookie).

    Django's own middleware would follow the browser's Accept-Language, and office PCs with an
    English-language browser would then show an English portal to Chinese civil servants.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in dict(settings.LANGUAGES):
            chosen = settings.LANGUAGE_CODE
        translation.activate(chosen)
        request.LANGUAGE_CODE = translation.get_language()


class RefuseNulCharactersMiddleware:
    """A NUL character in the path, a parameter's name or value is a bad request (400), whatever the page.

    No form or filter means one, PostgreSQL refuses it in any text, and a page that passed it on
    answered 500 (finding F9). Uploaded files are not looked at: a workbook is binary.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for params in (request.GET, request.POST)
            for key, values in params.lists()
        ):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


class DomainErrorsMiddleware:
    """The view layer's answer to a service's "not visible": 404, as for any record outside the
    user's jurisdiction (services raise domain errors, never HTTP ones)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotVisible):
            raise Http404 from exception
        return None


class PrimaryAfterWriteMiddleware:
    """After a logged-in user's POST, PUT, PATCH or DELETE, that user's pages read the primary for
    settings.REPLICA_STICKY_SECONDS (config.db_router): no page shows them the state before their change.

    Noted once the response is ready, i.e. after the view's transaction committed; a form sent back with
    errors counts too (half a minute on the primary costs little). Comes after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            note_write(getattr(request, "user", None))
        return response
