"""Answers that hold someone's data are never cached, and a number too big for the database is a bad request."""
from django.db import DataError
from django.http import Http404
from django.utils.cache import patch_cache_control


class PrivateAnswersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # API answers, health checks and every page a signed-in person sees may hold personal data.
        if request.path.startswith(("/api/", "/healthz")) or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response

    def process_exception(self, request, exception):
        # An id of 10**29 in a page's URL overflows the database column: no such object, not a crash.
        if isinstance(exception, (OverflowError, DataError)):
            raise Http404("No such object.") from exception
        return None
